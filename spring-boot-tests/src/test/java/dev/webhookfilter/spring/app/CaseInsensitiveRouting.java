package dev.webhookfilter.spring.app;

import org.springframework.web.servlet.config.annotation.PathMatchConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Makes Spring MVC match request paths without regard to case, as README warns against: registered by the tests
 * that show what the starter does about it, never picked up by a component scan.
 */
public class CaseInsensitiveRouting implements WebMvcConfigurer {

    @Override
    public void configurePathMatch(PathMatchConfigurer configurer) {
        PathPatternParser parser = new PathPatternParser();
        parser.setCaseSensitive(false);
        configurer.setPatternParser(parser);
    }
}
