package dev.webhookfilter;

import static dev.webhookfilter.SignatureVectorsTest.AT_T;
import static dev.webhookfilter.SignatureVectorsTest.SECRET;
import static dev.webhookfilter.SignatureVectorsTest.T;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The header grammar and the freshness window, through the public {@link WebhookVerifier#checkHeader}:
 * what a sender's header must look like, and what is refused before any body is read.
 */
class HeaderRulesTest {

    /** A well-formed v1: the empty body's under {@link SignatureVectorsTest#SECRET} at T (its EMPTY vector). */
    static final String V1 = "02/96LoB1WbASaxNhGPg9BsEUoms17EiIhrnkGRae6o=";
    /** Another well-formed v1, of a different MAC (the SIMPLE_JSON vector). */
    static final String OTHER_V1 = "mC26hXS/5vnpwQk6pzD+5e/p25SqLxYFn9cPaUihw5Q=";

    private final WebhookVerifier verifier = SignatureVectorsTest.verifier(SECRET);

    @Nested
    class Refused {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            // t
            "v1=" + V1,                                           // no t
            "t=1700000000,t=1700000000,v1=" + V1,                 // two t
            "T=1700000000,v1=" + V1,                              // uppercase T is another scheme
            "t=+1700000000,v1=" + V1,                             // sign
            "t=-1700000000,v1=" + V1,                             // negative
            "t=01700000000,v1=" + V1,                             // leading zero: the boundary-shift forgery
            "t=0,v1=" + V1,                                       // zero
            "t=17000000x0,v1=" + V1,                              // non-digit
            "t=1700000000.5,v1=" + V1,                            // fraction
            "t=17000 00000,v1=" + V1,                             // space inside
            "t=,v1=" + V1,                                        // empty
            "t=17000000000000000000,v1=" + V1,                    // 20 digits
            "t=9223372036854775808,v1=" + V1,                     // 19 digits, one past Long.MAX_VALUE
            "t=\u0661\u0667\u0660\u0660,v1=" + V1,                // Arabic-Indic digits
            // v1
            "t=1700000000",                                       // no v1
            "t=1700000000,v0=" + V1 + ",v2=" + V1,                // only unknown schemes
            "t=1700000000,V1=" + V1,                              // uppercase V1 is another scheme
            "t=1700000000,v1=",                                   // empty v1
            "t=1700000000,v1=" + "not base64 at all!!!!!!!!!!!!!!!!!!!!!!!!!!!=", // 44 characters, not base64
            "t=1700000000,v1=AAAA",                               // base64 of 3 bytes
            "t=1700000000,v1=" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // base64 of 36 bytes
            "t=1700000000,v1=02/96LoB1WbASaxNhGPg9BsEUoms17EiIhrnkGRae6o",  // no padding
            "t=1700000000,v1=02/96LoB1WbASaxNhGPg9BsEUoms17EiIhrnkGRae6p=", // non-zero trailing bits: non-canonical
            "t=1700000000,v1=02_96LoB1WbASaxNhGPg9BsEUoms17EiIhrnkGRae6o=", // URL-safe alphabet
            "t=1700000000,v1=d36ff7e8ba01d566c049ac4d8463e0f41b04528",     // hex
            // the element grammar and the characters
            "t=1700000000,v1=" + V1 + ",garbage",                 // an element without '='
            "t=1700000000,v1=" + V1 + "\u00e9",                   // non-ASCII
            "t=1700000000,\u0000v1=" + V1,                        // control character
            "t=1700000000;v1=" + V1,                              // wrong separator
            "",                                                   // empty
            " , ,",                                               // only separators
        })
        void malformedHeader(String header) {
            Verification result = verifier.checkHeader(header);

            assertEquals(Rejection.MALFORMED_HEADER, result.rejection(), () -> header + " -> " + result);
        }

        @Test
        void moreV1ValuesThanTheCap() {
            StringBuilder header = new StringBuilder("t=1700000000");
            for (int i = 0; i <= WebhookVerifier.MAX_SIGNATURES; i++) {
                header.append(",v1=").append(V1);
            }

            assertEquals(Rejection.MALFORMED_HEADER, verifier.checkHeader(header).rejection());
        }

        @Test
        void aHeaderOverTheLengthLimitEvenIfOtherwiseValid() {
            String valid = "t=1700000000,v1=" + V1;
            String padded = valid + ",x=" + "a".repeat(WebhookVerifier.MAX_HEADER_LENGTH - valid.length() - 2);
            assertEquals(WebhookVerifier.MAX_HEADER_LENGTH + 1, padded.length());

            assertEquals(Rejection.MALFORMED_HEADER, verifier.checkHeader(padded).rejection());
            assertTrue(verifier.checkHeader(padded.substring(0, padded.length() - 1)).isHeaderAccepted(),
                    "one character shorter is within the limit");
        }

        @Test
        void noHeaderAtAll() {
            assertEquals(Rejection.MISSING_HEADER, verifier.checkHeader(null).rejection());
        }
    }

    @Nested
    class Accepted {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            "t=1700000000,v1=" + V1,
            "v1=" + V1 + ",t=1700000000",                         // any order
            " t=1700000000 ,\tv1=" + V1 + "\t",                   // spaces and tabs around elements
            "t=1700000000,,v1=" + V1 + ",",                       // empty elements
            "t=1700000000,v0=whatever,v1=" + V1 + ",v2=" + OTHER_V1, // unknown schemes ignored
            "t=1700000000,v1=" + OTHER_V1 + ",v1=" + V1,          // the matching v1 second
        })
        void wellFormedHeaderOfTheEmptyBody(String header) {
            Verification result = verifier.verify(header, new byte[0]);

            assertTrue(result.isVerified(), () -> header + " -> " + result);
        }

        @Test
        void asManyV1ValuesAsTheCap() {
            StringBuilder header = new StringBuilder("t=1700000000");
            for (int i = 1; i < WebhookVerifier.MAX_SIGNATURES; i++) {
                header.append(",v1=").append(OTHER_V1);
            }
            header.append(",v1=").append(V1);

            assertTrue(verifier.verify(header, new byte[0]).isVerified());
        }

        @Test
        void theLargestTimestampALongHolds() {
            Verification result = verifier.checkHeader("t=9223372036854775807,v1=" + V1);

            assertEquals(Rejection.FUTURE_TIMESTAMP, result.rejection(), "parsed, then found to be in the future");
            assertEquals(Long.MAX_VALUE, result.timestamp());
        }
    }

    @Nested
    class Freshness {

        @ParameterizedTest(name = "t = now {0}")
        @CsvSource({
            "-300, ",
            "+300, ",
            "0, ",
            "-301, STALE_TIMESTAMP",
            "+301, FUTURE_TIMESTAMP",
            "-100000000, STALE_TIMESTAMP",
            "+100000000, FUTURE_TIMESTAMP",
        })
        void withinTheDefaultToleranceEitherWay(long offset, Rejection expected) {
            String header = "t=" + (T + offset) + ",v1=" + V1;

            Verification result = verifier.checkHeader(header);

            if (expected == null) {
                assertTrue(result.isHeaderAccepted(), result::toString);
            } else {
                assertEquals(expected, result.rejection(), result::toString);
                assertTrue(result.detail().contains(Math.abs(offset) + " seconds"), result::detail);
            }
        }

        @Test
        void withAConfiguredTolerance() {
            WebhookVerifier strict = WebhookVerifier.builder().secret(SECRET).clock(AT_T)
                    .tolerance(Duration.ofSeconds(5)).build();

            assertTrue(strict.checkHeader("t=" + (T - 5) + ",v1=" + V1).isHeaderAccepted());
            assertEquals(Rejection.STALE_TIMESTAMP, strict.checkHeader("t=" + (T - 6) + ",v1=" + V1).rejection());
            assertEquals(Rejection.FUTURE_TIMESTAMP, strict.checkHeader("t=" + (T + 6) + ",v1=" + V1).rejection());
        }

        @Test
        void aStaleHeaderIsRefusedWhateverItsSignature() {
            String header = "t=" + (T - 301) + ",v1=" + V1;

            assertEquals(Rejection.STALE_TIMESTAMP, verifier.verify(header, new byte[0]).rejection());
        }
    }

    @Nested
    class Builder {

        @Test
        void needsASecret() {
            assertThrows(IllegalStateException.class, () -> WebhookVerifier.builder().build());
            assertThrows(IllegalArgumentException.class, () -> WebhookVerifier.builder().secret(""));
            assertThrows(IllegalArgumentException.class, () -> WebhookVerifier.builder().secret((String) null));
            assertThrows(IllegalArgumentException.class, () -> WebhookVerifier.builder().secret(new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> WebhookVerifier.builder().secrets(List.of("a", "")));
        }

        @Test
        void needsAToleranceOfAtLeastOneSecond() {
            assertThrows(IllegalArgumentException.class,
                    () -> WebhookVerifier.builder().tolerance(Duration.ofMillis(999)));
            assertThrows(IllegalArgumentException.class, () -> WebhookVerifier.builder().tolerance(Duration.ZERO));
            assertEquals(Duration.ofSeconds(1),
                    WebhookVerifier.builder().secret(SECRET).tolerance(Duration.ofSeconds(1)).build().tolerance());
            assertEquals(WebhookVerifier.DEFAULT_TOLERANCE, WebhookVerifier.builder().secret(SECRET).build().tolerance());
        }

        @Test
        void describesItselfWithoutTheSecret() {
            WebhookVerifier two = WebhookVerifier.builder().secret(SECRET).secret("whsec_second_secret_value").build();

            assertEquals(2, two.secretCount());
            assertFalse(two.toString().contains(SECRET), two::toString);
            assertFalse(two.toString().contains("whsec_second_secret_value"), two::toString);
            assertFalse(WebhookSigner.of(SECRET).toString().contains(SECRET));
            assertFalse(two.verify("t=" + T + ",v1=" + V1, new byte[0]).toString().contains(V1),
                    "a result does not show the expected or received signature");
        }
    }
}
