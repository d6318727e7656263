package dev.webhookfilter.spring.app;

import dev.webhookfilter.Vectors;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A small application with two webhook endpoints (configured by each test), a controller that
 * answers with what it received, and Spring Security. Its clock stands at {@link Vectors#T}, so that the openssl vectors,
 * signed at that time, are fresh.
 */
@SpringBootApplication
public class WebhookTestApplication {

    /**
     * Spring Security's {@code SecurityProperties.DEFAULT_FILTER_ORDER}, written out so that one source
     * compiles on both Boot lines.
     */
    public static final int SPRING_SECURITY_FILTER_ORDER = -100;

    @Bean
    Clock clock() {
        return Clock.fixed(Instant.ofEpochSecond(Vectors.T), ZoneOffset.UTC);
    }

    /**
     * Spring Security as the README advises: the webhook paths are permitted (their signature is
     * their authentication) and left out of CSRF protection, and so are error dispatches (Spring's
     * answer when a verified request's handler fails); everything else needs a login.
     */
    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/webhooks/**").permitAll()
                        .anyRequest().authenticated())
                .csrf(csrf -> csrf.ignoringRequestMatchers("/webhooks/**"))
                .httpBasic(Customizer.withDefaults())
                .build();
    }

    @Bean
    Received received() {
        return new Received();
    }

    /** A filter that reads the body, where Spring Security's chain would run, on one path only. */
    @Bean
    FilterRegistrationBean<Filter> bodyReadingFilter(Received received) {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new BodyReadingFilter(received));
        registration.addUrlPatterns(EchoController.LOGGED_PATH);
        registration.setOrder(SPRING_SECURITY_FILTER_ORDER);
        return registration;
    }
}
