package dev.webhookfilter.interop;

/** Prints what a test counted to the build's output, one {@code [interop]} line each, for the reader of the log. */
final class Counts {

    private Counts() {
    }

    static void print(String what, String count) {
        System.out.println("[interop] " + what + ": " + count);
    }
}
