package dev.webhookfilter.cli;

import dev.webhookfilter.Scheme;

/** {@code --scheme NAME}: which sender's signature scheme {@code sign}, {@code send} and {@code verify} use. */
final class SchemeOption {

    static final String NAME = "--scheme";
    static final String HELP = "  --scheme NAME         the signature scheme (default: " + Scheme.defaultScheme().name() + "):\n"
            + "                        " + String.join(", ", Scheme.names()) + "\n";

    private SchemeOption() {
    }

    /**
     * The scheme named by {@code --scheme}, or the default.
     *
     * @throws CliException (usage) for an unknown name, listing the names
     */
    static Scheme from(Options options) throws CliException {
        String name = options.single(NAME);
        if (name == null) {
            return Scheme.defaultScheme();
        }
        try {
            return Scheme.named(name);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(NAME + ": " + e.getMessage());
        }
    }

    /**
     * Refuses options about the time for a scheme that signs none (github, shopify): given, they would change
     * nothing, and the user could believe the signature covers them.
     *
     * @throws CliException (usage) naming the first such option given
     */
    static void refuseTimeOptions(Options options, Scheme scheme, String... names) throws CliException {
        if (scheme.hasTimestamp()) {
            return;
        }
        for (String name : names) {
            if (!options.values(name).isEmpty()) {
                throw CliException.usage(name + " has no effect: scheme " + scheme.name() + " signs no timestamp");
            }
        }
    }

    /** Whether the scheme reads only its signature header, whose value alone then says everything. */
    static boolean signatureHeaderOnly(Scheme scheme) {
        return scheme.headerNames().size() == scheme.signatureHeaders().size();
    }
}
