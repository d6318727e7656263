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

    /** Whether the scheme reads only its signature header, whose value alone then says everything. */
    static boolean signatureHeaderOnly(Scheme scheme) {
        return scheme.headerNames().size() == scheme.signatureHeaders().size();
    }
}
