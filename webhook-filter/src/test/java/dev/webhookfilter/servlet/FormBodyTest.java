package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormBodyTest {

    /** The pairs decoded from {@code body}, as "name=value". */
    private static List<String> decode(String body, Charset charset) {
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        List<String> pairs = new ArrayList<>();
        FormBody.decode(bytes, bytes.length, charset, (name, value) -> pairs.add(name + "=" + value));
        return pairs;
    }

    private static List<String> decode(String body) {
        return decode(body, StandardCharsets.UTF_8);
    }

    @Test
    void splitsPairsInOrderKeepingRepeats() {
        assertEquals(List.of("a=1", "b=2", "a=3"), decode("a=1&b=2&a=3"));
    }

    @Test
    void splitsAtTheFirstEquals() {
        assertEquals(List.of("a=b=c"), decode("a=b=c"));
        assertEquals(List.of("a="), decode("a="));
    }

    @Test
    void aNameWithoutEqualsHasAnEmptyValue() {
        assertEquals(List.of("flag=", "x=1"), decode("flag&x=1"));
    }

    @Test
    void skipsEmptyPairsAndEmptyNames() {
        assertEquals(List.of("a=1", "b=2"), decode("&&a=1&&=orphan&b=2&"));
        assertEquals(List.of(), decode(""));
        assertEquals(List.of(), decode("="));
        assertEquals(List.of("c=d"), decode("=a=b&c=d"), "an empty name at the very start");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a=x+y|a=x y",
            "a=%20%2B%2b|a= ++",
            "a=%41%5a%61%7A%30%39|a=AZaz09",
            "%61%62=c|ab=c",
            "a=%e2%9C%93|a=✓",
            "a=%F0%9F%94%91|a=🔑",
            "a=100%25|a=100%",
            "a=%6f%4F%6F|a=oOo"})
    void decodesEscapesAndPlus(String body, String pair) {
        assertEquals(List.of(pair), decode(body));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a=%|b=2",
            "a=%4|b=2",
            "a=%4g|b=2",
            "a=%g4|b=2",
            "a=%G0|b=2",
            "a=%:0|b=2",
            "a=%/0|b=2",
            "a=%@0|b=2",
            "a=%`0|b=2",
            "%zz=1|b=2"})
    void skipsAPairWithAMalformedEscape(String bad, String good) {
        assertEquals(List.of(good), decode(bad + "&" + good));
        assertEquals(List.of(good), decode(good + "&" + bad).subList(0, 1));
        assertEquals(1, decode(good + "&" + bad).size());
    }

    @Test
    void decodesEscapesWithALeadingZero() {
        assertEquals(List.of("a=\t\n"), decode("a=%09%0a"));
    }

    @Test
    void decodesTheBytesInTheGivenCharset() {
        assertEquals(List.of("a=é"), decode("a=%C3%A9", StandardCharsets.UTF_8));
        assertEquals(List.of("a=Ã©"), decode("a=%C3%A9", StandardCharsets.ISO_8859_1));
        assertEquals(List.of("a=é"), decode("a=\u00e9", StandardCharsets.ISO_8859_1), "raw bytes too");
    }

    @Test
    void readsOnlyTheGivenLength() {
        byte[] bytes = "a=1&b=2".getBytes(StandardCharsets.US_ASCII);
        List<String> pairs = new ArrayList<>();
        FormBody.decode(bytes, 5, StandardCharsets.UTF_8, (name, value) -> pairs.add(name + "=" + value));
        assertEquals(List.of("a=1", "b="), pairs);
    }

    @Test
    void anEscapeCutByTheEndIsMalformed() {
        byte[] bytes = "a=%41".getBytes(StandardCharsets.US_ASCII);
        List<String> pairs = new ArrayList<>();
        FormBody.decode(bytes, 4, StandardCharsets.UTF_8, (name, value) -> pairs.add(name + "=" + value));
        assertEquals(List.of(), pairs);
    }

    /** {@code text} as the filter reads a chunked body: chunks of 8 KiB, then 8, 16, ... */
    private static BufferedBody buffered(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return BufferedBody.read(-1, bytes, ByteArrayInputStream::new, 1 << 20, new BodyBudget(1 << 30));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|0", "a|1", "=|0", "&|0", "a&a|2", "a=1&b=2|2", "&&a=1&&=orphan&b=2&|2", "=a=b&c=d|1", "a=&=&b|2"})
    void countsThePairsDecodingFinds(String body, int pairs) {
        assertEquals(pairs, FormBody.pairs(buffered(body)));
        assertEquals(pairs, decode(body).size());
    }

    @Test
    void countsPairsAcrossChunks() {
        String first = "x".repeat(8191);
        assertEquals(2, FormBody.pairs(buffered(first + "&b")), "the & ends the first chunk");
        assertEquals(2, FormBody.pairs(buffered(first + "x&b")), "the & starts the second");
        assertEquals(1, FormBody.pairs(buffered(first + "&=b")));
    }

    @Test
    void stopsCountingPastTheLimit() {
        assertEquals(1000, FormBody.pairs(buffered("a" + "&a".repeat(999))));
        assertEquals(1001, FormBody.pairs(buffered("a" + "&a".repeat(5000))));
    }

    @Test
    void costsFiveBytesAByteAnd320APairInTheCharsetsStringDecodesItself() {
        assertEquals(5 * 1000 + 320 * 10, FormBody.cost(1000, 10, StandardCharsets.UTF_8));
        assertEquals(5 * 1000 + 320 * 10, FormBody.cost(1000, 10, StandardCharsets.ISO_8859_1));
        assertEquals(5 * 1000 + 320 * 10, FormBody.cost(1000, 10, StandardCharsets.US_ASCII));
        assertEquals(5_368_709_120L + 320_320L, FormBody.cost(1 << 30, 1001, StandardCharsets.UTF_8), "no int overflow");
    }

    @Test
    void costsTenBytesAByteAnd10KiBAPairInOtherCharsets() {
        assertEquals(10 * 1000 + 10_240 * 10, FormBody.cost(1000, 10, StandardCharsets.UTF_16));
        assertEquals(10 * 1000 + 10_240 * 10, FormBody.cost(1000, 10, Charset.forName("x-JISAutoDetect")));
        assertEquals(10_737_418_240L + 10_250_240L, FormBody.cost(1 << 30, 1001, Charset.forName("GB18030")),
                "no int overflow");
    }
}
