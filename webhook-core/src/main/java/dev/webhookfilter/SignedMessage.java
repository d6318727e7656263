package dev.webhookfilter;

/**
 * What {@link WebhookVerifier#checkHeader} found in a request's headers: the MACs to compare and the
 * signed bytes that surround the body, assembled once so that the body is fed to the MAC as it is,
 * never copied. Never shown by any {@code toString}.
 */
final class SignedMessage {

    private static final byte[] EMPTY = new byte[0];

    final Scheme scheme;
    /** The timestamp in Unix seconds, or 0 for a scheme without one. */
    final long timestamp;
    /** The timestamp as sent, or null for a scheme without one. */
    final byte[] timestampText;
    /** The message id as sent, or null for a scheme without one. */
    final byte[] id;
    /** The decoded MACs, 32 bytes each. */
    final byte[][] signatures;
    /** The signed bytes before the body, and after it. */
    final byte[] prefix;
    final byte[] suffix;

    SignedMessage(Scheme scheme, long timestamp, byte[] timestampText, byte[] id, byte[][] signatures) {
        this.scheme = scheme;
        this.timestamp = timestamp;
        this.timestampText = timestampText;
        this.id = id;
        this.signatures = signatures;
        this.prefix = join(0, scheme.bodyAt);
        this.suffix = join(scheme.bodyAt + 1, scheme.message.size());
    }

    boolean hasTimestamp() {
        return timestampText != null;
    }

    /** The parts {@code [from, to)} in one array: a lone part's own bytes, which nothing writes to. */
    private byte[] join(int from, int to) {
        if (to - from <= 1) {
            return to == from ? EMPTY : bytes(scheme.message.get(from));
        }
        int length = 0;
        for (int i = from; i < to; i++) {
            length += bytes(scheme.message.get(i)).length;
        }
        byte[] joined = new byte[length];
        int at = 0;
        for (int i = from; i < to; i++) {
            byte[] part = bytes(scheme.message.get(i));
            System.arraycopy(part, 0, joined, at, part.length);
            at += part.length;
        }
        return joined;
    }

    private byte[] bytes(Scheme.Part part) {
        if (part.literal != null) {
            return part.literal;
        }
        return Scheme.ID.equals(part.variable) ? id : timestampText;
    }
}
