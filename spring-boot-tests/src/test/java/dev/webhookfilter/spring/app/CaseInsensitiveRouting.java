package dev.webhookfilter.spring.app;

import org.springframework.util.AntPathMatcher;
import org.springframework.web.servlet.config.annotation.PathMatchConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Makes Spring MVC match request paths without regard to case, as README warns against: registered by the tests
 * that show what the starter does about it, never picked up by a component scan.
 */
public class CaseInsensitiveRouting implements WebMvcConfigurer {

    private final boolean antPathMatcher;

    /**
     * @param antPathMatcher whether to route with a case-insensitive {@code AntPathMatcher} instead of a
     *         case-insensitive {@code PathPatternParser}, Spring's default kind of matcher
     */
    public CaseInsensitiveRouting(boolean antPathMatcher) {
        this.antPathMatcher = antPathMatcher;
    }

    @Override
    @SuppressWarnings({"deprecation", "removal"}) // AntPathMatcher routing: deprecated in Spring 7, still supported
    public void configurePathMatch(PathMatchConfigurer configurer) {
        if (antPathMatcher) {
            AntPathMatcher matcher = new AntPathMatcher();
            matcher.setCaseSensitive(false);
            configurer.setPathMatcher(matcher);
        } else {
            PathPatternParser parser = new PathPatternParser();
            parser.setCaseSensitive(false);
            configurer.setPatternParser(parser);
        }
    }
}
