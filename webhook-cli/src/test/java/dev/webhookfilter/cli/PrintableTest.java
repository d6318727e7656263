package dev.webhookfilter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrintableTest {

    @ParameterizedTest(name = "U+{0}")
    @CsvSource({"0000", "0001", "0007", "0008", "000b", "000c", "000d", "001b", "001f", "007f", "0080", "009b",
            "009f", "202a", "202e", "2066", "2069"})
    void escapesWhatATerminalActsOn(String hex) {
        char c = (char) Integer.parseInt(hex, 16);

        assertEquals("a\\u" + hex + "b", Printable.escape("a" + c + "b"));
    }

    @ParameterizedTest(name = "U+{0}")
    @CsvSource({"0009", "000a", "0020", "007e", "00a0", "00e9", "2029", "2065", "206a", "2029", "fffd"})
    void keepsTheRest(String hex) {
        String text = "a" + (char) Integer.parseInt(hex, 16) + "b";

        assertEquals(text, Printable.escape(text));
    }

    @Test
    void keepsACarriageReturnOnlyBeforeANewline() {
        assertEquals("a\r\nb\\u000dc\\u000d", Printable.escape("a\r\nb\rc\r"));
        assertEquals("\\u000d\\u000d\n", Printable.escape("\r\r\r\n").replace("\r\n", "\n"));
    }

    @Test
    void text_decodesUtf8AndMarksMalformedBytes() {
        byte[] bytes = {'o', 'k', (byte) 0xc3, (byte) 0xa9, (byte) 0xff, 0x1b, '[', '2', 'J'};

        assertEquals("ok\u00e9\ufffd\\u001b[2J", Printable.text(bytes));
        assertEquals("", Printable.text("".getBytes(StandardCharsets.UTF_8)));
    }
}
