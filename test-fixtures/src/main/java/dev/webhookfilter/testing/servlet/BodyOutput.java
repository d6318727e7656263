package dev.webhookfilter.testing.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A response body kept in memory, for tests with a mocked or hand-made response. Not thread-safe. */
public final class BodyOutput extends ServletOutputStream {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
        bytes.write(b);
    }

    /** How many bytes were written. */
    public int size() {
        return bytes.size();
    }

    /** What was written, as UTF-8. */
    public String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        throw new UnsupportedOperationException();
    }
}
