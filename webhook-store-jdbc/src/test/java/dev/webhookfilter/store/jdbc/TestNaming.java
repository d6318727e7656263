package dev.webhookfilter.store.jdbc;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.spi.InitialContextFactory;

/**
 * A JNDI initial context for the tests, as a container's would be: names bound in {@link #BOUND}
 * are found by {@code new InitialContext().lookup(name)} once the system property
 * {@code java.naming.factory.initial} names this class.
 */
public final class TestNaming implements InitialContextFactory {

    static final Map<String, Object> BOUND = new ConcurrentHashMap<>();

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "lookup":
                            Object found = BOUND.get(String.valueOf(args[0]));
                            if (found == null) {
                                throw new NameNotFoundException("Name [" + args[0] + "] is not bound in this Context");
                            }
                            return found;
                        case "close":
                            return null;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
