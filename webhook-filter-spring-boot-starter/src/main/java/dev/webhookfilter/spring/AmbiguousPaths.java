package dev.webhookfilter.spring;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.util.StringUtils;

/**
 * Tells which request paths the container and Spring MVC may read as two different paths, under the
 * endpoints' path patterns. Servlet-free; immutable and thread-safe.
 *
 * <p>A container decodes a request's path and collapses its dot segments before it matches filter mappings,
 * so {@code /webhooks/%2e%2e/bytes} is {@code /bytes} to it, outside {@code /webhooks/*}, and no endpoint's
 * filter runs. Spring MVC routes the request URI as it came, segment by segment (each one decoded, its
 * {@code ;parameters} removed, dot segments kept), so {@code /webhooks/{endpoint}/bytes} still matches it.
 * A path is ambiguous when one of its segments, read that way, is {@code .} or {@code ..}, or holds a
 * {@code /} or {@code \} that a container set to decode {@code %2F} or to allow backslashes takes as a
 * separator.
 *
 * <p>A path that ends in {@code /} is refused too when no pattern covers it but one covers it without that
 * {@code /} (an exact pattern {@code /webhooks/payments}, an extension {@code *.json}): Spring's
 * {@code UrlHandlerFilter} (its {@code wrapRequest} mode) and the trailing slash match of Spring MVC before
 * 7.0 route {@code /webhooks/payments/} to the controller at {@code /webhooks/payments}, while the container
 * matched the endpoint's filter against {@code /webhooks/payments/} and did not run it. A last segment of
 * {@code ;parameters} only ({@code /webhooks/payments/;x}) ends the path in {@code /} for both.
 *
 * <p>A path is refused too when it falls under a pattern only when case is ignored ({@code /WEBHOOKS/payments}
 * under {@code /webhooks/*}, {@code /event.JSON} under {@code *.json}): the container matches filter mappings
 * case-sensitively, while Spring MVC set to match without regard to case ({@code PathPatternParser} or
 * {@code AntPathMatcher} with {@code setCaseSensitive(false)}) routes it to the endpoint's controller. Case is
 * folded as {@link String#regionMatches(boolean, int, String, int, int)} folds it, which is how both Spring
 * matchers compare a literal segment ({@code equalsIgnoreCase}; a segment with wildcards or variables folds ASCII
 * only): the Kelvin sign {@code U+212A} is {@code k}, the long s {@code U+017F} is {@code s}. Such a
 * path is refused whatever the application's setting, which the starter cannot see: in an application that
 * matches case-sensitively it would have been a 404.
 *
 * <p>A path is refused too when it falls under no pattern, but under one once its last segment is cut at one of its
 * {@code .} ({@code /webhooks/payments.json} under an exact pattern {@code /webhooks/payments}, {@code /webhooks.json}
 * under {@code /webhooks/*}, {@code /events/order.json.xml} under {@code *.json}): Spring MVC's suffix pattern match
 * before 7.0 ({@code setUseSuffixPatternMatch(true)} with {@code AntPathMatcher}) routes it to the controller at
 * the path without the suffix, or with a registered suffix after the mapping's own, while the container matched the
 * filters against the path with it. A last segment {@code .} or {@code ..} is a dot segment, and not cut. Spring 7
 * has no suffix match; the starter cannot see the setting, so such a path is refused on every line (it was a 404
 * unless a controller maps it). This rule, the trailing {@code /} rule and the case rule combine: a path is
 * refused when its reading, with or without a trailing {@code /}, and cut or not, falls under a pattern ignoring
 * case, while the path as read falls under none.
 *
 * <p>A path that holds {@code ;parameters} is refused too when it falls under no pattern as the container reads it
 * (without them), but under one, by the rules above, read with them kept ({@code /events/order;x.json} under
 * {@code *.json}, which the container matches as {@code /events/order}): Spring MVC's ant-style matcher with a
 * {@code UrlPathHelper} that keeps them ({@code setRemoveSemicolonContent(false)}, which {@code @MatrixVariable} needs
 * there) routes it to the controller at {@code /events/{name}.json}. So is a path whose segments, read as Spring reads
 * it, begin or end in spaces or controls ({@code /webhooks%20/payments}), when it falls under a pattern only with
 * each segment trimmed and those left empty dropped: the ant-style matcher with {@code setTrimTokens(true)} reads it
 * so.
 */
final class AmbiguousPaths {

    /** A run of two or more {@code /}. */
    private static final Pattern SLASHES = Pattern.compile("/{2,}");

    // Arrays, walked by index: the per-request checks allocate no iterator, compiled or not.
    private final String[] exact;
    /** Of each {@code /prefix/*}: {@code /prefix}; of {@code /*}: the empty string. */
    private final String[] prefixes;
    /** Of each {@code *.ext}: {@code .ext}. */
    private final String[] extensions;
    private final boolean everything;

    /** @param patterns Servlet URL patterns, as {@link dev.webhookfilter.internal.ServletUrlPatterns#isValid} accepts them */
    AmbiguousPaths(Collection<String> patterns) {
        List<String> exact = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        List<String> extensions = new ArrayList<>();
        boolean all = false;
        for (String pattern : patterns) {
            if (pattern.equals("/")) {
                all = true;
            } else if (pattern.startsWith("*.")) {
                extensions.add(pattern.substring(1));
            } else if (pattern.endsWith("/*")) {
                prefixes.add(pattern.substring(0, pattern.length() - 2));
            } else {
                // The empty pattern is the context root: the path "/".
                exact.add(pattern.isEmpty() ? "/" : pattern);
            }
        }
        this.exact = exact.toArray(new String[0]);
        this.prefixes = prefixes.toArray(new String[0]);
        this.extensions = extensions.toArray(new String[0]);
        this.everything = all;
    }

    /**
     * Whether the request must be refused: its path (the request URI after the context path) is ambiguous
     * and, read as Spring MVC reads it, falls under one of the patterns; or, read so, it falls under none, but under
     * one without a trailing {@code /}, with its last segment cut at a {@code .}, or when case is ignored. Allocates
     * nothing unless the path is ambiguous or,
     * under no pattern as it came, holds a {@code %}, a {@code ;} or a {@code //}.
     *
     * @param requestUri the request URI as it came: percent-encoded, with any {@code ;parameters}
     * @param contextPath the context path, a prefix of {@code requestUri}; empty for the root context
     */
    boolean refuses(String requestUri, String contextPath) {
        if (requestUri == null) {
            return false;
        }
        // As Spring reads it: the context path is a prefix of the URI, or Spring refuses the request itself.
        int from = contextPath != null && requestUri.startsWith(contextPath) ? contextPath.length() : 0;
        return refusesAsAmbiguous(requestUri, from) || fallsUnderOnlyLoosely(requestUri, from);
    }

    /** Whether the path from {@code from} is ambiguous and, read as Spring MVC reads it, falls under a pattern. */
    private boolean refusesAsAmbiguous(String requestUri, int from) {
        if (!isAmbiguous(requestUri, from)) {
            return false;
        }
        try {
            return fallsUnder(readAsSpringDoes(requestUri, from));
        } catch (IllegalArgumentException e) {
            return true; // a broken %-escape: no telling where Spring would route it
        }
    }

    /** Whether a segment of {@code path}, from {@code from}, decoded and without its parameters, is ambiguous. */
    static boolean isAmbiguous(String path, int from) {
        // How many dots the segment holds so far, or -1 once it holds anything else.
        int dots = 0;
        boolean inParameters = false;
        for (int i = from; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '/') {
                if (dots == 1 || dots == 2) {
                    return true;
                }
                dots = 0;
                inParameters = false;
                continue;
            }
            if (inParameters) {
                continue;
            }
            if (c == ';') {
                inParameters = true;
                continue;
            }
            if (c == '%' && i + 2 < path.length()) {
                int decoded = hex(path.charAt(i + 1)) << 4 | hex(path.charAt(i + 2));
                if (decoded >= 0) {
                    if (decoded == '/') {
                        return true;
                    }
                    c = (char) decoded;
                    i += 2;
                }
            }
            if (c == '\\') {
                return true;
            }
            dots = c == '.' && dots >= 0 ? dots + 1 : -1;
        }
        return dots == 1 || dots == 2;
    }

    /** The value of an ASCII hex digit; negative for any other character. */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    /** The path from {@code from} with each segment decoded and its parameters removed; dot segments kept. */
    static String readAsSpringDoes(String path, int from) {
        StringBuilder read = new StringBuilder(path.length() - from);
        int start = from;
        while (true) {
            int end = path.indexOf('/', start);
            int segmentEnd = end < 0 ? path.length() : end;
            int parameters = path.indexOf(';', start);
            int contentEnd = parameters >= 0 && parameters < segmentEnd ? parameters : segmentEnd;
            read.append(StringUtils.uriDecode(path.substring(start, contentEnd), StandardCharsets.UTF_8));
            if (end < 0) {
                return read.toString();
            }
            read.append('/');
            start = end + 1;
        }
    }

    /** Whether {@code path} falls under one of the patterns, by the Servlet specification's rules. */
    boolean fallsUnder(String path) {
        return fallsUnder(path, 0, path.length(), false);
    }

    /**
     * Whether the path from {@code from}, read as Spring MVC reads it (runs of {@code /} merged), falls under no
     * pattern, but under one when case is ignored, as it stands or without a trailing {@code /}, whole or with its
     * last segment cut at a {@code .}: the trailing {@code /} rule, the suffix rule and the case rule in one, since a
     * match ignoring case includes the match with it. A path that
     * falls under a pattern as it came falls under it as read, so it is let through without reading; one that holds
     * no {@code %}, {@code ;} or {@code //} reads as it came, so it is compared in place. A last segment of
     * {@code ;parameters} only reads as a trailing {@code /}.
     */
    private boolean fallsUnderOnlyLoosely(String requestUri, int from) {
        // The container leaves out the ;parameters of the last segment, which may hold the extension the path ends in.
        if (fallsUnder(requestUri, from, withoutLastParameters(requestUri, from), false)) {
            return false;
        }
        String path = requestUri;
        int start = from;
        if (readsOtherwise(requestUri, from)) {
            try {
                path = SLASHES.matcher(readAsSpringDoes(requestUri, from)).replaceAll("/");
                start = 0;
            } catch (IllegalArgumentException e) {
                // A broken %-escape, which the containers refuse: judged on the path as it came.
            }
            if (fallsUnder(path, start, path.length(), false)) {
                return false;
            }
        }
        return fallsUnderLoosely(path, start)
                || requestUri.indexOf(';', from) >= 0 && fallsUnderWithParameters(requestUri, from)
                || holdsSpace(path, start) && fallsUnderLoosely(withSegmentsTrimmed(path.substring(start)), 0);
    }

    /** Whether the path from {@code start} holds a character that {@link String#trim()} takes: a space or a control. */
    private static boolean holdsSpace(String path, int start) {
        for (int i = start; i < path.length(); i++) {
            if (path.charAt(i) <= ' ') {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code path} with each segment {@linkplain String#trim() trimmed} and the segments left empty dropped, as
     * Spring's {@code AntPathMatcher} with {@code setTrimTokens(true)} reads it: it routes {@code /webhooks%20/x}
     * to {@code /webhooks/{id}}, while the container matched the filters against {@code /webhooks /x}.
     */
    static String withSegmentsTrimmed(String path) {
        StringBuilder trimmed = new StringBuilder(path.length());
        for (String segment : path.split("/")) {
            String token = segment.trim();
            if (!token.isEmpty()) {
                trimmed.append('/').append(token);
            }
        }
        if (trimmed.isEmpty() || path.endsWith("/")) {
            trimmed.append('/');
        }
        return trimmed.toString();
    }

    /**
     * {@link #fallsUnderLoosely(String, int, int)}, with the path from {@code start} as it stands or without a trailing
     * {@code /}.
     */
    private boolean fallsUnderLoosely(String path, int start) {
        int end = path.length();
        return fallsUnderLoosely(path, start, end)
                || end - start >= 2 && path.charAt(end - 1) == '/' && fallsUnderLoosely(path, start, end - 1);
    }

    /**
     * Whether the path from {@code from}, decoded with its {@code ;parameters} kept and runs of {@code /} merged, falls
     * under a pattern loosely: Spring MVC's ant-style matcher with a {@code UrlPathHelper} that keeps them
     * ({@code setRemoveSemicolonContent(false)}, for {@code @MatrixVariable}) routes {@code /events/order;x.json} to
     * {@code /events/{name}.json}, while the container matched the filters against {@code /events/order}.
     */
    private boolean fallsUnderWithParameters(String requestUri, int from) {
        String kept;
        try {
            kept = SLASHES.matcher(StringUtils.uriDecode(requestUri.substring(from), StandardCharsets.UTF_8))
                    .replaceAll("/");
        } catch (IllegalArgumentException e) {
            return false; // a broken %-escape, which the containers refuse
        }
        return fallsUnderLoosely(kept, 0);
    }

    /** Where the path's last segment ends without its {@code ;parameters}: its first {@code ;}, or the path's end. */
    private static int withoutLastParameters(String path, int from) {
        int segment = Math.max(from, path.lastIndexOf('/') + 1);
        int parameters = path.indexOf(';', segment);
        return parameters < 0 ? path.length() : parameters;
    }

    /**
     * Whether {@code path} from {@code from} to {@code to} falls under a pattern when case is ignored, as it stands
     * or with its last segment (unless {@code .} or {@code ..}) cut at one of its {@code .}: Spring MVC's suffix
     * pattern match before 7.0 routes {@code /webhooks/payments.json} to the controller at
     * {@code /webhooks/payments} ({@code .*} after a mapping without a dot, or a registered extension after any).
     * Allocates nothing.
     */
    private boolean fallsUnderLoosely(String path, int from, int to) {
        if (fallsUnder(path, from, to, true)) {
            return true;
        }
        int lastSlash = path.lastIndexOf('/', to - 1);
        int segment = to - lastSlash - 1;
        if (segment == 1 && path.charAt(to - 1) == '.' || segment == 2 && path.startsWith("..", to - 2)) {
            return false; // a dot segment, which the container resolves: the dot segment rule's business
        }
        for (int dot = path.lastIndexOf('.', to - 1); dot > lastSlash && dot > from;
                dot = path.lastIndexOf('.', dot - 1)) {
            if (fallsUnder(path, from, dot, true)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the path from {@code from} holds a {@code %}, a {@code ;} or a run of {@code /}. */
    private static boolean readsOtherwise(String path, int from) {
        for (int i = from; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' || c == ';' || c == '/' && i + 1 < path.length() && path.charAt(i + 1) == '/') {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code path} from {@code from} to {@code to} falls under one of the patterns, by the Servlet
     * specification's rules, with case or, if {@code ignoreCase}, without. Allocates nothing.
     */
    private boolean fallsUnder(String path, int from, int to, boolean ignoreCase) {
        if (everything) {
            return true;
        }
        int length = to - from;
        for (int i = 0; i < exact.length; i++) {
            if (exact[i].length() == length && path.regionMatches(ignoreCase, from, exact[i], 0, length)) {
                return true;
            }
        }
        for (int i = 0; i < prefixes.length; i++) {
            String prefix = prefixes[i];
            int end = from + prefix.length();
            if (end <= to && path.regionMatches(ignoreCase, from, prefix, 0, prefix.length())
                    && (end == to || path.charAt(end) == '/')) {
                return true;
            }
        }
        // An extension is what follows the last '.' of the last segment.
        for (int i = 0; i < extensions.length; i++) {
            String extension = extensions[i];
            int start = to - extension.length();
            if (start >= from && path.regionMatches(ignoreCase, start, extension, 0, extension.length())
                    && path.lastIndexOf('/', start) < start) {
                return true;
            }
        }
        return false;
    }
}
