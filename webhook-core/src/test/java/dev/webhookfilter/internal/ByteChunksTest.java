package dev.webhookfilter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteChunksTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Each part as "bytes@offset", the bytes as text. */
    private static List<String> parts(byte[][] chunks, int length) {
        List<String> parts = new ArrayList<>();
        ByteChunks.forEach(chunks, length, (array, offset, n) ->
                parts.add(new String(array, offset, n, StandardCharsets.US_ASCII) + "@" + offset));
        return parts;
    }

    @Test
    void givesEachArrayInTurn_theLastCutAtTheLength() {
        assertEquals(List.of("ab@0", "cd@0"), parts(new byte[][] {ascii("ab"), ascii("cde"), ascii("fg")}, 4));
    }

    @Test
    void givesArraysThatHoldTheLengthExactly_whole() {
        assertEquals(List.of("ab@0", "cde@0"), parts(new byte[][] {ascii("ab"), ascii("cde")}, 5));
    }

    @Test
    void readsNoArrayPastTheLength_notEvenANullOne() {
        assertEquals(List.of("ab@0"), parts(new byte[][] {ascii("ab"), null}, 2));
    }

    @Test
    void anEmptyArrayInTheMiddle_isAPartOfNoBytes() {
        assertEquals(List.of("ab@0", "@0", "c@0"), parts(new byte[][] {ascii("ab"), new byte[0], ascii("c")}, 3));
    }

    @Test
    void lengthZero_givesNothing() {
        assertEquals(List.of(), parts(new byte[][] {ascii("ab")}, 0));
    }

    @Test
    void arraysHoldingFewerBytesThanTheLength_areOutOfBounds() {
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> parts(new byte[][] {ascii("ab")}, 3));
    }

    @Test
    void aNullArrayHoldingPartOfTheBody_isANullPointer() {
        assertThrows(NullPointerException.class, () -> parts(new byte[][] {ascii("ab"), null}, 3));
    }
}
