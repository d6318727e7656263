package dev.webhookfilter.it;

import java.util.Locale;

/**
 * How a probe context's servlet is told what to do: the first path segment below {@code /webhooks/} names one constant
 * of the context's mode enum, in lower case with {@code -} for {@code _} ({@code FAIL_5XX} is {@code fail-5xx}).
 */
final class PathModes {

    private PathModes() {
    }

    /** The first segment of a path for {@code mode}. */
    static String segment(Enum<?> mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} that the first segment of {@code pathInfo} names. */
    static <E extends Enum<E>> E of(Class<E> type, String pathInfo) {
        String segment = pathInfo == null ? "" : pathInfo.substring(1);
        int slash = segment.indexOf('/');
        segment = slash < 0 ? segment : segment.substring(0, slash);
        for (E mode : type.getEnumConstants()) {
            if (segment(mode).equals(segment)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("no mode " + segment);
    }
}
