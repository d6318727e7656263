package dev.webhookfilter.it;

import jakarta.servlet.ServletContainerInitializer;
import java.util.Map;

/**
 * A context a scenario class adds beside the example WAR, set up through the Servlet API alone so that every
 * container sets it up the same way: the fixture creates an empty context at {@link #path()}, runs this
 * initializer in it, and sets {@link #errorPages()} with its own container's API, since the Servlet API has none.
 */
public interface AddedContext extends ServletContainerInitializer {

    /**
     * The context path.
     *
     * @return the path, such as {@code /replay}
     */
    String path();

    /**
     * The error pages the fixture sets for this context.
     *
     * @return the location of each error page, by status
     */
    Map<Integer, String> errorPages();
}
