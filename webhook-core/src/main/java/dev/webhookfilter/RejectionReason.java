package dev.webhookfilter;

/**
 * Why a request was refused: a {@link Rejection} of the verifier, or an adapter's own reason (the
 * servlet filter's {@code FilterRejection}). What a {@link VerificationListener} is told, and what metrics
 * name in their {@code reason} tag. Implementations are enums: {@link #name()} is the constant's name.
 */
public interface RejectionReason {

    /** {@return the constant's name, such as {@code NO_MATCHING_SIGNATURE}: stable, for logs and metrics} */
    String name();

    /** {@return the HTTP status a refused request receives} */
    int status();

    /** {@return a short reason safe to show the client: it never names a secret or a signature} */
    String message();
}
