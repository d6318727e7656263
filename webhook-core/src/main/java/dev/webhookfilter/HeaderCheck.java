package dev.webhookfilter;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What {@link WebhookVerifier#checkHeader} found: the headers are <b>accepted</b> (well formed and fresh;
 * pass this to {@link WebhookVerifier#checkBody} of a verifier of the same scheme with the body), or <b>rejected</b>, and then
 * {@link #rejection()} says which check failed and {@link #detail()} says why.
 *
 * <p>Immutable and thread-safe. {@link #toString()} and {@link #detail()} never contain a secret, a
 * signature or any part of a header.
 */
public final class HeaderCheck {

    private static final byte[] NONE = new byte[0];

    private final Rejection rejection;
    private final String detail;
    private final long timestamp;

    // Accepted: what the body check needs, in as few objects as a request can have. Never shown by toString.
    /** The signed bytes around the body, those before it then those after it; null when rejected. */
    final byte[] signed;
    /** Where the body goes in {@link #signed}. */
    final int bodyAt;
    /** Where the message id lies in {@link #signed}, and its length; -1 for a scheme without one. */
    final int idAt;
    final int idLength;
    /** Where the timestamp as sent lies in {@link #signed}, and its length; -1 for a scheme without one. */
    final int tAt;
    final int tLength;
    /** The decoded MACs, 32 bytes each, one after another. */
    final byte[] signatures;
    /** The scheme whose rules read the headers, and by whose rules alone the body is to be judged; null when rejected. */
    final Scheme scheme;

    private HeaderCheck(Rejection rejection, String detail, long timestamp, byte[] signed, int bodyAt, int idAt,
                        int idLength, int tAt, int tLength, byte[] signatures, Scheme scheme) {
        this.rejection = rejection;
        this.detail = detail;
        this.timestamp = timestamp;
        this.signed = signed;
        this.bodyAt = bodyAt;
        this.idAt = idAt;
        this.idLength = idLength;
        this.tAt = tAt;
        this.tLength = tLength;
        this.signatures = signatures;
        this.scheme = scheme;
    }

    /**
     * Accepted headers: the scheme's signed bytes around the body assembled once, the id and the
     * timestamp copied straight from the headers that hold them, so that the body is fed to the MAC as it
     * is and nothing is copied twice.
     *
     * @param timestamp the timestamp in Unix seconds, or 0 for a scheme without one
     * @param t the text holding the timestamp as sent at {@code [tFrom, tTo)}, checked to be ASCII; read
     *        only if the scheme signs {@code {t}}, and may then not be null
     * @param id the text holding the message id at {@code [idFrom, idTo)}, checked to be ASCII; read only
     *        if the scheme signs {@code {id}}, and may then not be null
     * @param signatures the decoded MACs, 32 bytes each, one after another
     */
    static HeaderCheck accepted(Scheme scheme, long timestamp, CharSequence t, int tFrom, int tTo,
                                CharSequence id, int idFrom, int idTo, byte[] signatures) {
        Scheme.Part[] parts = scheme.message;
        int length = 0;
        for (Scheme.Part part : parts) {
            length += part.kind == Scheme.Part.Kind.LITERAL ? part.literal.length
                    : part.kind == Scheme.Part.Kind.ID ? idTo - idFrom
                    : part.kind == Scheme.Part.Kind.TIMESTAMP ? tTo - tFrom : 0;
        }
        byte[] signed = length == 0 ? NONE : new byte[length];
        int at = 0;
        int bodyAt = 0;
        int idAt = -1;
        int tAt = -1;
        for (Scheme.Part part : parts) {
            if (part.kind == Scheme.Part.Kind.LITERAL) {
                System.arraycopy(part.literal, 0, signed, at, part.literal.length);
                at += part.literal.length;
            } else if (part.kind == Scheme.Part.Kind.ID) {
                idAt = at;
                at = ascii(id, idFrom, idTo, signed, at);
            } else if (part.kind == Scheme.Part.Kind.TIMESTAMP) {
                tAt = at;
                at = ascii(t, tFrom, tTo, signed, at);
            } else {
                bodyAt = at;
            }
        }
        return new HeaderCheck(null, null, timestamp, signed, bodyAt, idAt, idAt < 0 ? -1 : idTo - idFrom,
                tAt, tAt < 0 ? -1 : tTo - tFrom, signatures, scheme);
    }

    /**
     * Copies {@code s[from, to)}, already checked to be ASCII, into {@code into} at {@code at}; returns where
     * it ends. A {@code String}'s characters are copied by {@code String.getBytes(int, int, byte[], int)},
     * deprecated because it keeps the low byte of each character, which for ASCII is the character: a
     * Latin-1 string then copies its array.
     */
    @SuppressWarnings("deprecation")
    private static int ascii(CharSequence s, int from, int to, byte[] into, int at) {
        if (s instanceof String) {
            ((String) s).getBytes(from, to, into, at);
            return at + to - from;
        }
        for (int i = from; i < to; i++) {
            into[at++] = (byte) s.charAt(i);
        }
        return at;
    }

    static HeaderCheck rejected(Rejection rejection, String detail) {
        return rejected(rejection, detail, 0);
    }

    static HeaderCheck rejected(Rejection rejection, String detail, long timestamp) {
        return new HeaderCheck(rejection, detail, timestamp, null, 0, -1, -1, -1, -1, null, null);
    }

    /** {@return true when the headers passed: the body is to be checked next} */
    public boolean isAccepted() {
        return signed != null;
    }

    /**
     * {@return which check failed ({@code MISSING_HEADER}, {@code MALFORMED_HEADER}, {@code STALE_TIMESTAMP}
     * or {@code FUTURE_TIMESTAMP}), or {@code null} when the headers were accepted}
     */
    public Rejection rejection() {
        return rejection;
    }

    /**
     * A sentence for logs and developers saying why the check failed, or {@code null} when none did.
     * It never quotes a header.
     *
     * @return the sentence, or {@code null}
     */
    public String detail() {
        return detail;
    }

    /**
     * {@return the signed timestamp in Unix seconds, or 0 when the headers could not be parsed or the
     * scheme has no timestamp}
     */
    public long timestamp() {
        return timestamp;
    }

    /**
     * {@return the message id as signed, for a scheme that signs one ({@code standard-webhooks}, {@code svix}),
     * from whichever header set the request carried; empty for another scheme, or when rejected} This, not a
     * header looked up by name, is the id to de-duplicate on: a {@code svix} request may carry its signed id in
     * {@code webhook-id}, and a {@code svix-id} beside it that nobody signed.
     */
    public Optional<String> messageId() {
        return idAt < 0 ? Optional.empty() : Optional.of(new String(signed, idAt, idLength, StandardCharsets.US_ASCII));
    }

    /** {@return whether the scheme signs a timestamp, which freshness then bounds; false when rejected} */
    boolean hasTimestamp() {
        return tAt >= 0;
    }

    @Override
    public String toString() {
        return isAccepted() ? "HeaderCheck[accepted, t=" + timestamp + "]"
                : "HeaderCheck[" + rejection + ": " + detail + "]";
    }
}
