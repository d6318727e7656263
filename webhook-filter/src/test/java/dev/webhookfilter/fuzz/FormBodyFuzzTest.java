package dev.webhookfilter.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes the form-urlencoded decoder that serves {@code getParameter} on a verified request, with
 * any bytes in any of several charsets: it must never throw (its contract documents no exception)
 * and must give the pairs that an independent, naive decoder gives.
 *
 * <p>{@code FormBody} is package-private in {@code dev.webhookfilter.servlet}; an attacker reaches it
 * with any signed form body, so it is fuzzed directly, through reflection, rather than through a
 * servlet container. Seeds: {@code FormBodyFuzzTestInputs/} in the test resources.
 */
@Tag("fuzz")
class FormBodyFuzzTest {

    private static final String[] CHARSETS = {
        "UTF-8", "ISO-8859-1", "US-ASCII", "UTF-16", "UTF-16LE", "windows-1252", "Shift_JIS", "GB18030",
    };
    private static final MethodHandle DECODE = decodeHandle();

    @FuzzTest
    void decode_givesTheNaivePairs(FuzzedDataProvider data) throws Throwable {
        Charset charset = Charset.forName(data.pickValue(CHARSETS));
        // The decoder takes a buffer and its filled length; bytes past the length are not the body.
        int unfilled = data.consumeInt(0, 3);
        byte[] body = data.consumeRemainingAsBytes();
        int length = body.length - Math.min(unfilled, body.length);

        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        BiConsumer<String, String> collect = (name, value) -> pairs.add(Map.entry(name, value));
        // Decoded in place: a copy, as the request's wrapper gives it.
        DECODE.invokeExact(body.clone(), length, charset, collect);

        assertEquals(naive(body, length, charset), pairs);
    }

    /**
     * Splits on {@code &}, then at the first {@code =}; skips a pair with an empty name or with a
     * {@code %} not followed by two hex digits; turns {@code +} into a space and {@code %XX} into
     * a byte; decodes each part's bytes in {@code charset}.
     */
    private static List<Map.Entry<String, String>> naive(byte[] body, int length, Charset charset) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        String text = new String(body, 0, length, StandardCharsets.ISO_8859_1);
        for (String pair : text.split("&", -1)) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            if (name.isEmpty() || hasBadEscape(name) || hasBadEscape(value)) {
                continue;
            }
            pairs.add(Map.entry(unescape(name, charset), unescape(value, charset)));
        }
        return pairs;
    }

    private static boolean hasBadEscape(String s) {
        return s.replaceAll("%[0-9A-Fa-f]{2}", "").contains("%");
    }

    private static String unescape(String latin1, Charset charset) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < latin1.length(); i++) {
            char c = latin1.charAt(i);
            if (c == '%') {
                bytes.write(Integer.parseInt(latin1.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c == '+' ? ' ' : c);
            }
        }
        return bytes.toString(charset);
    }

    private static MethodHandle decodeHandle() {
        try {
            Class<?> formBody = Class.forName("dev.webhookfilter.servlet.FormBody");
            Method decode = formBody.getDeclaredMethod("decode", byte[].class, int.class, Charset.class, BiConsumer.class);
            decode.setAccessible(true);
            return MethodHandles.lookup().unreflect(decode)
                    .asType(MethodType.methodType(void.class, byte[].class, int.class, Charset.class, BiConsumer.class));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("FormBody.decode(byte[], int, Charset, BiConsumer) is gone; update this test", e);
        }
    }
}
