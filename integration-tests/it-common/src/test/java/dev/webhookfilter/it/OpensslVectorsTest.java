package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.it.OpensslVectors.Vector;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The three signers the scenarios use agree with the vectors openssl computed once. */
class OpensslVectorsTest {

    static Stream<Vector> vectors() {
        return Stream.of(OpensslVectors.JSON, OpensslVectors.BINARY);
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void librarySignerReproducesOpensslVector(Vector vector) {
        assertEquals(vector.header(), WebhookSigner.of(OpensslVectors.SECRET).sign(vector.body(), vector.t()));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void jdkMacOfForgeriesReproducesOpensslVector(Vector vector) {
        assertEquals(vector.v1(), Forgery.hmacBase64(OpensslVectors.SECRET, vector.body(), Long.toString(vector.t())));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void liveOpensslReproducesItsOwnVector(Vector vector) throws Exception {
        assumeTrue(OpenSsl.available(), "no openssl command here");
        assertEquals(vector.header(), OpenSsl.sign(OpensslVectors.SECRET, vector.body(), vector.t()));
    }
}
