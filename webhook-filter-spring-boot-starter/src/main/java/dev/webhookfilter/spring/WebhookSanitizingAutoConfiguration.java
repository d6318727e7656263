package dev.webhookfilter.spring;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Keeps the endpoints' secrets and store URIs out of Actuator's {@code configprops} and {@code env}
 * endpoints, also when {@code management.endpoint.configprops.show-values} or
 * {@code management.endpoint.env.show-values} tells them to show values: a {@code SanitizingFunction}
 * bean, named {@value #BEAN_NAME}, that Actuator applies to every value it would show. Only when Actuator is
 * on the class path ({@code org.springframework.boot.actuate.endpoint.SanitizingFunction}, in the same package
 * on Boot 3.5 and 4.0).
 *
 * <p>It masks, as {@code ******}:
 * <ul>
 *   <li>the value of every key {@code webhooks.endpoints.<name>.secrets} and {@code .store}, each element of a
 *       list included ({@code secrets[0]}, {@code secrets[1]}), in any form Spring reads
 *       ({@code WEBHOOKS_ENDPOINTS_PAYMENTS_SECRETS_0} too);</li>
 *   <li>any value, under any key, that contains one of the endpoints' secrets, one of their store URIs or a
 *       password in one (its user-info's password, a password-like parameter): the property or environment
 *       variable that a {@code ${...}} placeholder took a secret or a store's password from
 *       ({@code redis://:${REDIS_PASSWORD}@host}). A value that holds a
 *       {@code \} is compared with its JSON escapes decoded too, and with each backslash dropped (as Gson and
 *       Spring Boot's own JSON parser, used without Jackson, read one): {@code SPRING_APPLICATION_JSON} and
 *       {@code spring.application.json} are shown as given, where a secret may be written with escapes.</li>
 * </ul>
 * A store's value is masked whole, {@code memory} and {@code bean} too: a URI carries its password in the
 * user-info ({@code redis://:password@host}) or in a parameter ({@code jdbc:postgresql://host/db?password=...}),
 * and masking the whole value misses neither.
 */
@AutoConfiguration
@ConditionalOnClass(name = WebhookSanitizingAutoConfiguration.SANITIZING_FUNCTION)
public class WebhookSanitizingAutoConfiguration {

    /** The sanitizing function's bean name. */
    public static final String BEAN_NAME = "webhookSecretsSanitizingFunction";

    static final String SANITIZING_FUNCTION = "org.springframework.boot.actuate.endpoint.SanitizingFunction";

    /** Made by Spring Boot, when Actuator is on the class path. */
    public WebhookSanitizingAutoConfiguration() {
    }

    @Bean(BEAN_NAME)
    WebhookSecretsSanitizingFunction webhookSecretsSanitizingFunction(ObjectProvider<WebhookProperties> properties) {
        return new WebhookSecretsSanitizingFunction(properties::getIfAvailable);
    }
}
