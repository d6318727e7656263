package dev.webhookfilter.spring;

import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.Filter;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.OrderUtils;

/**
 * Warns at start-up of a filter known to read a form post's body that the application ordered before an endpoint's
 * filter, on paths they share: Spring's {@code HiddenHttpMethodFilter} (any {@code POST}) and {@code FormContentFilter}
 * ({@code PUT}, {@code PATCH}, {@code DELETE}). Such a filter asks for a parameter, the container reads the form body
 * to answer, and the endpoint's filter finds it consumed: every signed form post there gets 400 (body incomplete),
 * which the sender retries. Nothing unsigned gets through, so the application starts; the warning says why the
 * endpoint refuses what is signed. Spring Boot orders both after the endpoints' filters; only an application that
 * orders them itself meets this. Spring Security's chain is not one: before the endpoints' filters, with the webhook
 * paths permitted and left out of CSRF protection as README says, it reads no body.
 */
final class BodyReadersBeforeWebhooks implements SmartInitializingSingleton {

    private static final System.Logger LOG = System.getLogger(BodyReadersBeforeWebhooks.class.getName());

    /** Spring's filters that read a form post's parameters, by class name: spring-web need not be compiled against. */
    private static final List<String> BODY_READERS = List.of("org.springframework.web.filter.HiddenHttpMethodFilter",
            "org.springframework.web.filter.FormContentFilter");

    private final ListableBeanFactory beans;

    BodyReadersBeforeWebhooks(ListableBeanFactory beans) {
        this.beans = beans;
    }

    @Override
    public void afterSingletonsInstantiated() {
        warnings().forEach(warning -> LOG.log(Level.WARNING, warning));
    }

    /** {@return one warning per body-reading filter and endpoint filter it runs before on a shared path} */
    @SuppressWarnings("rawtypes")
    List<String> warnings() {
        Map<String, FilterRegistrationBean> registrations = beansOfType(FilterRegistrationBean.class);
        Map<String, FilterRegistrationBean> endpoints = new LinkedHashMap<>();
        Map<String, Mapped> readers = new LinkedHashMap<>();
        Set<Filter> registered = Collections.newSetFromMap(new IdentityHashMap<>());
        registrations.forEach((name, registration) -> {
            Filter filter = registration.getFilter();
            registered.add(filter);
            if (!registration.isEnabled()) {
                return;
            }
            if (filter instanceof WebhookSignatureFilter) {
                endpoints.put(name, registration);
            } else if (readsTheBody(filter)) {
                List<String> patterns = new ArrayList<>(registration.getUrlPatterns());
                if (patterns.isEmpty()) {
                    patterns.add("/*"); // no pattern: Spring Boot maps it on /* (or on servlets, which see every path)
                }
                readers.put(name, new Mapped(filter, registration.getOrder(), patterns));
            }
        });
        // A Filter bean in no registration: Spring Boot maps it on /*, at its Ordered or @Order order.
        beansOfType(Filter.class).forEach((name, filter) -> {
            if (!registered.contains(filter) && readsTheBody(filter)) {
                int order = filter instanceof Ordered ? ((Ordered) filter).getOrder()
                        : OrderUtils.getOrder(filter.getClass(), Ordered.LOWEST_PRECEDENCE);
                readers.put(name, new Mapped(filter, order, List.of("/*")));
            }
        });
        List<String> warnings = new ArrayList<>();
        readers.forEach((readerName, reader) -> endpoints.forEach((registrationName, endpoint) -> {
            if (reader.order > endpoint.getOrder()) {
                return;
            }
            String shared = sharedPattern(reader.patterns, endpoint.getUrlPatterns());
            if (shared != null) {
                String endpointName = registrationName.startsWith(WebhookFilterAutoConfiguration.REGISTRATION_BEAN_PREFIX)
                        ? "webhook endpoint '" + registrationName.substring(
                                WebhookFilterAutoConfiguration.REGISTRATION_BEAN_PREFIX.length()) + "'"
                        : "WebhookSignatureFilter '" + registrationName + "'";
                warnings.add("Filter '" + readerName + "' (" + reader.filter.getClass().getName() + ", order "
                        + reader.order + (reader.order == endpoint.getOrder() ? ") may run before " : ") runs before ") + endpointName + " (order " + endpoint.getOrder()
                        + ") on " + shared + ": it reads a form post's parameters, which consumes the body, so every"
                        + " signed form post there gets 400 (body incomplete); order it after "
                        + endpoint.getOrder() + ", as Spring Boot does");
            }
        }));
        return warnings;
    }

    /**
     * {@return the beans of {@code type}, as Spring Boot finds the filters it maps} Not the target of a scoped proxy
     * ({@code @RequestScope}), which no request is there to create at start-up, and which Boot maps by its proxy; nor
     * a factory's product that only creating the factory would tell (no eager initialisation).
     */
    private <T> Map<String, T> beansOfType(Class<T> type) {
        Map<String, T> found = new LinkedHashMap<>();
        for (String name : beans.getBeanNamesForType(type, true, false)) {
            if (!ScopedProxyUtils.isScopedTarget(name)) {
                found.put(name, beans.getBean(name, type));
            }
        }
        return found;
    }

    private static boolean readsTheBody(Filter filter) {
        for (Class<?> type = filter.getClass(); type != null; type = type.getSuperclass()) {
            if (BODY_READERS.contains(type.getName())) {
                return true;
            }
        }
        return false;
    }

    /** {@return a pattern of the reader's that meets one of the endpoint's, as "X and Y", or null} */
    private static String sharedPattern(List<String> reader, Iterable<String> endpoint) {
        for (String mine : reader) {
            for (String theirs : endpoint) {
                if (WebhookEndpointFilters.overlap(mine, theirs)) {
                    return mine.equals(theirs) ? mine : mine + " and " + theirs;
                }
            }
        }
        return null;
    }

    private static final class Mapped {

        final Filter filter;
        final int order;
        final List<String> patterns;

        Mapped(Filter filter, int order, List<String> patterns) {
            this.filter = filter;
            this.order = order;
            this.patterns = patterns;
        }
    }
}
