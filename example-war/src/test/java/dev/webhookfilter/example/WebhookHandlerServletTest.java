package dev.webhookfilter.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the handler's log line shows of an event's id and type, which come from a signed body. */
class WebhookHandlerServletTest {

    /** Each value and what the log shows of it, written out by hand; \\u escapes are Java's. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            line feed            | evt_1\\nINFO forged          | evt_1?INFO forged
            carriage return      | evt_1\\rforged               | evt_1?forged
            delete and C1 NEL    | a\\u007fb\\u0085c             | a?b?c
            line separator       | evt_1\\u2028INFO forged      | evt_1?INFO forged
            paragraph separator  | evt_1\\u2029forged           | evt_1?forged
            right-to-left override | evt_\\u202egnp.exe         | evt_?gnp.exe
            isolates             | a\\u2066b\\u2069c              | a?b?c
            zero width and BOM   | a\\u200bb\\ufeffc              | a?b?c
            unpaired surrogate   | a\\ud800b                    | a?b
            """)
    void aCharacterThatCouldForgeOrReorderALogLine_isShownAsAQuestionMark(String what, String value, String shown) {
        assertEquals(unescape(shown), WebhookHandlerServlet.printable(unescape(value)), what);
    }

    @Test
    void lettersOfAnyScriptAndEmoji_areShownAsTheyAre() {
        String value = "événement_日本_\uD83D\uDE80_order.paid";
        assertEquals(value, WebhookHandlerServlet.printable(value));
    }

    @Test
    void aLongValue_isCutAtAHundredCharacters_andNullIsADash() {
        assertEquals("x".repeat(100) + "…", WebhookHandlerServlet.printable("x".repeat(101)));
        assertEquals("x".repeat(100), WebhookHandlerServlet.printable("x".repeat(100)));
        assertEquals("-", WebhookHandlerServlet.printable(null));
    }

    /** Java's {@code \n}, {@code \r} and {@code \\uXXXX} escapes, as a source file would read them. */
    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
            } else if (text.charAt(i + 1) == 'u') {
                out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(text.charAt(i + 1) == 'n' ? '\n' : '\r');
                i++;
            }
        }
        return out.toString();
    }
}
