package dev.webhookfilter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Resolves a secrets specification, so that production secrets need not sit in {@code web.xml}.
 *
 * <pre>
 * spec    = entry *( "," entry )          ; spaces and tabs around an entry are ignored
 * entry   = "env:" NAME                    ; the environment variable NAME, trimmed
 *         / "file:" PATH                   ; every line of the UTF-8 file PATH, trimmed, except
 *                                          ; blank lines and comments (lines starting with #)
 *         / literal                        ; the entry itself
 * </pre>
 *
 * A literal cannot contain {@code ,} or begin or end with white space; put such a secret in a file. A
 * file's secret cannot begin with {@code #}. No secret, whatever its source, may look like a reference or a
 * placeholder ({@code env:NAME}, {@code file:PATH}, {@code ${NAME}}): a verifier refuses it as a key anyone
 * reading the configuration could sign with.
 *
 * <p>Every entry must yield at least one non-empty secret, or resolution fails: a typo must stop the
 * application, not leave it accepting nothing or anything. So an entry that looks like a misspelled
 * reference is refused rather than taken as a literal secret: a case variant of {@code env:} or
 * {@code file:} ({@code ENV:NAME}, {@code File:PATH}), blanks before the colon ({@code env :NAME}), and
 * placeholders this grammar does not expand ({@code ${NAME}}, {@code $NAME}, {@code %NAME%}).
 *
 * <p>Error messages name the entry's position, never a secret: a variable's name is quoted only if it
 * is in the conventional style ({@code [A-Z_][A-Z0-9_]*}), a path only if it looks like one (absolute
 * or starting with {@code ./} or {@code ../}, of ordinary path characters), since a secret pasted
 * where the name or path goes must not reach the logs.
 */
public final class Secrets {

    /**
     * The fewest UTF-8 bytes a secret should have: HMAC keys should carry 128 bits or more. The filter and the Spring
     * Boot starter warn at start-up of a secret shorter than this, by its position, never its value.
     */
    public static final int MIN_RECOMMENDED_BYTES = 16;

    static final String ENV_PREFIX = "env:";
    static final String FILE_PREFIX = "file:";
    /** A secrets file is a few lines; refuse to read more than this from a misconfigured path. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** A name in the conventional style, safe to quote; a mixed-case one may be a pasted secret. */
    private static final Pattern QUOTABLE_VARIABLE_NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");
    /** {@code env:} or {@code file:} in another case, or with blanks before the colon. */
    private static final Pattern MISSPELLED_PREFIX = Pattern.compile("(?i)(env|file)\\s*:.*", Pattern.DOTALL);
    /** Placeholders of shells, Spring, Maven and Windows, which this grammar does not expand. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{.*}|\\$[A-Za-z_][A-Za-z0-9_]*|%[^%]+%",
            Pattern.DOTALL);
    /** What a path that is safe to quote looks like: absolute or explicitly relative, ordinary characters. */
    private static final Pattern QUOTABLE_PATH = Pattern.compile("(/|\\./|\\.\\./|[A-Za-z]:[\\\\/])[A-Za-z0-9._/\\\\ -]*");

    private Secrets() {
    }

    /**
     * Resolves {@code spec} against the process environment and file system.
     *
     * @param spec the {@code secrets} init-param's grammar: comma-separated literals, {@code env:NAME}, {@code file:PATH}
     * @return the secrets in order, never empty; unmodifiable, and its {@code toString()} shows how many
     *         there are, never what they are
     * @throws IllegalArgumentException saying which entry is wrong and how
     */
    public static List<String> resolve(String spec) {
        return resolve(spec, System::getenv);
    }

    /**
     * Resolves {@code spec}, looking variables up with {@code environment} instead of the process
     * environment (for tests, or a framework's own configuration source).
     *
     * @param spec as for {@link #resolve(String)}
     * @param environment gives a variable's value by name, or null when unset
     * @return the secrets in order, never empty, as {@link #resolve(String)} gives them
     * @throws IllegalArgumentException saying which entry is wrong and how
     */
    public static List<String> resolve(String spec, Function<String, String> environment) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no secret is configured");
        }
        String[] entries = spec.split(",", -1);
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            String position = "entry " + (i + 1) + " of " + entries.length;
            if (entry.isEmpty()) {
                throw new IllegalArgumentException(position + " is empty (a stray comma?)");
            }
            if (entry.startsWith(ENV_PREFIX)) {
                secrets.add(fromEnvironment(entry.substring(ENV_PREFIX.length()).strip(), environment, position));
            } else if (entry.startsWith(FILE_PREFIX)) {
                secrets.addAll(fromFile(path(entry.substring(FILE_PREFIX.length()).strip(), position), position));
            } else {
                refuseMisspelledReference(entry, position);
                secrets.add(entry);
            }
        }
        return new Redacted(secrets);
    }

    /**
     * The value of environment variable {@code name}, trimmed.
     *
     * @param name the variable's name
     * @return its value, trimmed
     * @throws IllegalArgumentException if it is unset or blank
     */
    public static String fromEnvironment(String name) {
        return fromEnvironment(name, System::getenv, "the secret");
    }

    /**
     * The value of variable {@code name} looked up with {@code environment}, trimmed: for tools and
     * tests that supply their own environment.
     *
     * @param name the variable's name
     * @param environment gives a variable's value by name, or null when unset
     * @return its value, trimmed
     * @throws IllegalArgumentException if it is unset or blank
     */
    public static String fromEnvironment(String name, Function<String, String> environment) {
        return fromEnvironment(name, environment, "the secret");
    }

    /**
     * Every line of the UTF-8 file at {@code path}, trimmed, but blank lines and comments (lines starting with
     * {@code #}).
     *
     * @param path the file
     * @return its secrets, trimmed, in order, as {@link #resolve(String)} gives them
     * @throws IllegalArgumentException if the file cannot be read, is not UTF-8 or holds no secret
     */
    public static List<String> fromFile(Path path) {
        return fromFile(path, "the secret file");
    }

    /**
     * Whether {@code secret} is shorter than {@link #MIN_RECOMMENDED_BYTES} in UTF-8: the key of a scheme that keys
     * the HMAC with the secret's UTF-8 bytes ({@link #isShort(Scheme, String)} for any scheme).
     *
     * @param secret a secret as configured
     * @return true if it is too short to carry 128 bits
     */
    public static boolean isShort(String secret) {
        return secret.getBytes(StandardCharsets.UTF_8).length < MIN_RECOMMENDED_BYTES;
    }

    /**
     * Whether the HMAC key that {@code scheme} takes from {@code secret} is shorter than {@link #MIN_RECOMMENDED_BYTES}:
     * the secret's UTF-8 bytes, or what its base64 decodes to for a scheme that decodes it ({@code wealthkernel},
     * {@code standard-webhooks}, {@code svix}), where a secret of 18 characters can hold a key of 8 bytes.
     *
     * @param scheme the scheme the secret is for
     * @param secret a secret as configured
     * @return true if its key is too short to carry 128 bits
     * @throws IllegalArgumentException if {@code scheme} takes no key from {@code secret} (it is empty, or not base64
     *         where the scheme decodes it); the message does not quote it
     */
    public static boolean isShort(Scheme scheme, String secret) {
        byte[] key = scheme.key(secret);
        try {
            return key.length < MIN_RECOMMENDED_BYTES;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static Path path(String text, String position) {
        try {
            return Paths.get(text);
        } catch (InvalidPathException e) {
            // Its message repeats the text, which may be a secret pasted where the path goes.
            throw new IllegalArgumentException(position + ": what follows 'file:' is not a valid path");
        }
    }

    private static void refuseMisspelledReference(String entry, String position) {
        if (MISSPELLED_PREFIX.matcher(entry).matches()) {
            throw new IllegalArgumentException(position + " looks like a misspelled reference: write env:NAME or"
                    + " file:PATH in lower case with no blank before the colon; a literal secret that starts"
                    + " like this belongs in a file:PATH");
        }
        if (PLACEHOLDER.matcher(entry).matches()) {
            throw new IllegalArgumentException(position + " looks like a placeholder (${NAME}, $NAME or %NAME%),"
                    + " which is not expanded here: write env:NAME to read an environment variable");
        }
    }

    /**
     * Throws if {@code secret}, about to be used as it stands, looks like a reference this grammar reads
     * ({@code env:NAME}, {@code file:PATH}, in any case) or a placeholder left unexpanded: taken as the key,
     * it is one anyone who reads the configuration can sign with. Never quotes it.
     */
    static void refuseReferenceAsKey(String secret, String position) {
        String s = secret.strip();
        if (MISSPELLED_PREFIX.matcher(s).matches() || PLACEHOLDER.matcher(s).matches()) {
            throw new IllegalArgumentException(position + ": looks like a reference (env:NAME, file:PATH) or a"
                    + " placeholder (${NAME}, $NAME, %NAME%), which is used here as the secret itself: resolve it"
                    + " first (Secrets.resolve reads env: and file:), or give the key's bytes if it really is the secret");
        }
    }

    private static String fromEnvironment(String name, Function<String, String> environment, String position) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException(position + " is 'env:' without a variable name");
        }
        if (!VARIABLE_NAME.matcher(name).matches()) {
            // Not quoted: this is where a secret lands when someone writes env:<the secret>.
            throw new IllegalArgumentException(position + ": what follows 'env:' is not an environment variable"
                    + " name (letters, digits and _, not starting with a digit); to give the secret itself,"
                    + " write it without 'env:'");
        }
        String variable = QUOTABLE_VARIABLE_NAME.matcher(name).matches() ? "environment variable " + name
                : "the environment variable it names";
        String value = environment.apply(name);
        if (value == null) {
            throw new IllegalArgumentException(position + ": " + variable + " is not set"
                    + "; set it in the server's environment, or give the secret as file:PATH");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(position + ": " + variable + " is empty"
                    + "; set it to the secret, or give the secret as file:PATH");
        }
        return value.strip();
    }

    private static List<String> fromFile(Path path, String position) {
        if (path.toString().isEmpty()) {
            throw new IllegalArgumentException(position + " is 'file:' without a path");
        }
        String file = QUOTABLE_PATH.matcher(path.toString()).matches() ? "file " + path : "the file it names";
        String text;
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(position + ": " + file + " is larger than "
                        + MAX_FILE_BYTES + " bytes; is it really a secrets file?");
            }
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(position + ": " + file + " is not UTF-8 text");
        } catch (IOException | SecurityException e) {
            // The exception's own message names only the path and the cause, never file contents.
            throw new IllegalArgumentException(position + ": cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (text.startsWith("\uFEFF")) {
            // A byte order mark, which some Windows editors write first: no secret begins with one.
            text = text.substring(1);
        }
        List<String> secrets = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String secret = line.strip();
            if (!secret.isEmpty() && secret.charAt(0) != '#') {
                secrets.add(secret);
            }
        }
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException(position + ": " + file + " holds no secret"
                    + " (blank lines and lines starting with # do not count)");
        }
        return new Redacted(secrets);
    }

    /** Secrets in order, unmodifiable, whose {@code toString()} a log line or a debugger may show safely. */
    private static final class Redacted extends AbstractList<String> implements RandomAccess {

        private final String[] secrets;

        Redacted(List<String> secrets) {
            this.secrets = secrets.toArray(new String[0]);
        }

        @Override
        public String get(int index) {
            return secrets[index];
        }

        @Override
        public int size() {
            return secrets.length;
        }

        @Override
        public String toString() {
            return "[" + secrets.length + (secrets.length == 1 ? " secret" : " secrets") + ", not shown]";
        }
    }
}
