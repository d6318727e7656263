package dev.webhookfilter.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcUrlsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://db.internal:5432/app?user=hooks&password=s3cret | jdbc:postgresql://db.internal:5432/app",
        "jdbc:postgresql://hooks:s3cret@db.internal/app                    | jdbc:postgresql://db.internal/app",
        "jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary  | jdbc:postgresql://db1:5432,db2:5432/app",
        "jdbc:postgresql:app?password=s3cret                               | jdbc:postgresql:app",
        "jdbc:h2:mem:webhooks;DB_CLOSE_DELAY=-1;PASSWORD=s3cret            | jdbc:h2:mem:webhooks",
        "jdbc:h2:tcp://localhost:9092/~/hooks;USER=sa;PASSWORD=s3cret      | jdbc:h2:tcp://localhost:9092/~/hooks",
        "java:comp/env/jdbc/webhooks                                       | java:comp/env/jdbc/webhooks",
        "jdbc:postgresql://hooks:s3;cret@db.internal/app                   | jdbc:postgresql://db.internal/app",
        "jdbc:postgresql://db.internal/app;x?password=s3cret               | jdbc:postgresql://db.internal/app;x",
        "jdbc:h2:tcp://sa:s3;cret@localhost:9092/~/hooks;USER=sa           | jdbc:h2:tcp://localhost:9092/~/hooks",
        "jdbc:h2:mem:hooks;PASSWORD=s3//cr@et                              | jdbc:h2:mem:hooks",
    })
    void describe_keepsSchemeHostPortAndDatabaseOnly(String url, String described) {
        assertEquals(described, JdbcUrls.describe(url));
    }

    /**
     * The passwords leave the URL for the connection's properties, decoded as PgJDBC decodes a URL's values (as
     * {@code python3 -c 'from urllib.parse import unquote_plus; print(unquote_plus("p%40ss+w%2Bd"))'} does:
     * {@code p@ss w+d}); the last of a name wins, as in PgJDBC; a value PgJDBC cannot decode leaves the URL whole.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://db/app?user=hooks&password=s3cret&ssl=true | jdbc:postgresql://db/app?user=hooks&ssl=true | {password=s3cret}",
        "jdbc:postgresql://db/app?password=p%40ss+w%2Bd              | jdbc:postgresql://db/app                     | {password=p@ss w+d}",
        "jdbc:postgresql://db/app?sslpassword=k3y&user=hooks          | jdbc:postgresql://db/app?user=hooks          | {sslpassword=k3y}",
        "jdbc:postgresql://db/app?password=first&password=last        | jdbc:postgresql://db/app                     | {password=last}",
        "jdbc:postgresql://db/app?user=hooks                          | jdbc:postgresql://db/app?user=hooks          | {}",
        "jdbc:postgresql://db/app                                     | jdbc:postgresql://db/app                     | {}",
        "jdbc:postgresql://db/app?password=%zz&user=hooks             | jdbc:postgresql://db/app?password=%zz&user=hooks | {}",
        "jdbc:postgresql://db/app?passwords=x&PASSWORD=y              | jdbc:postgresql://db/app?passwords=x&PASSWORD=y | {}",
    })
    void withoutPasswords_movesThemToTheProperties(String url, String connectWith, String properties) {
        java.util.Properties into = new java.util.Properties();
        assertEquals(connectWith, JdbcUrls.withoutPasswords(url, into));
        assertEquals(properties, new java.util.TreeMap<>(into).toString());
    }

    /**
     * PgJDBC connects with the same passwords either way: the URL as given, or the URL without them and the properties
     * they went to (the properties are the defaults its URL's values override, as in {@code Driver.connect}). The
     * oracle is PgJDBC's own parse. A name without {@code =} sets the password to nothing, in the URL's order: left in
     * the URL, {@code password&password=x} lost the {@code x} it had come after.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://db/app?user=hooks&password=s3cret&ssl=true",
        "jdbc:postgresql://db/app?password=first&password=last",
        "jdbc:postgresql://db/app?password&password=s3cret",
        "jdbc:postgresql://db/app?password=s3cret&password",
        "jdbc:postgresql://db/app?sslpassword&sslpassword=k3y&password=p%40ss+w%2Bd",
        "jdbc:postgresql://db/app?&password=a=b&&user=hooks&",
        "jdbc:postgresql://db/app?passwords=x&PASSWORD=y&password",
    })
    void withoutPasswords_leavesPgJdbcTheSamePasswords(String url) {
        java.util.Properties into = new java.util.Properties();
        String connectWith = JdbcUrls.withoutPasswords(url, into);
        java.util.Properties asGiven = org.postgresql.Driver.parseURL(url, new java.util.Properties());
        java.util.Properties asConnected = org.postgresql.Driver.parseURL(connectWith, into);
        for (String name : new String[] {"password", "sslpassword"}) {
            assertEquals(asGiven.getProperty(name), asConnected.getProperty(name), name + " of " + url);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://db/app?user=hooks&password=s3cret&ssl=true",
        "jdbc:postgresql://hooks:s3cret@db/app",
        "jdbc:h2:tcp://localhost/~/hooks;USER=sa;PASSWORD=s3cret",
        "jdbc:postgresql://db/app?sslpassword=s3cret",
    })
    void scrub_removesTheUrlAndItsSecretsFromAMessage(String url) {
        String message = "Connection to " + url + " failed: password s3cret rejected for s3cret";
        String scrubbed = JdbcUrls.scrub(message, url);
        assertFalse(scrubbed.contains("s3cret"), scrubbed);
        assertEquals(true, scrubbed.startsWith("Connection to " + JdbcUrls.describe(url) + " failed"), scrubbed);
    }

    /** PgJDBC separates parameters by {@code &} alone: a {@code ;} is part of the password, which is scrubbed whole. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://db/app?user=hooks&password=pa;ss-1&ssl=true",
        "jdbc:postgresql://db/app?user=hooks&password=;pass-1",
        "jdbc:postgresql://hooks:pa;ss-1@db/app",
    })
    void scrub_removesAPasswordWithASemicolonWhole(String url) {
        String password = url.contains("password=") ? url.replaceAll(".*password=([^&]*).*", "$1") : "pa;ss-1";
        String scrubbed = JdbcUrls.scrub("Connection to " + url + " failed: password " + password + " rejected", url);
        assertEquals("Connection to " + JdbcUrls.describe(url) + " failed: password *** rejected", scrubbed);
    }

    /** README: a URL's user never appears in the store's messages; PostgreSQL names it in quotes when a login fails. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://db/app?user=hooks&password=s3cret | FATAL: password authentication failed for user \"hooks\" | FATAL: password authentication failed for user \"***\"",
        "jdbc:postgresql://db/app?user=hook%73                | FATAL: role \"hooks\" does not exist                   | FATAL: role \"***\" does not exist",
        "a DataSource                                        | FATAL: password authentication failed for user \"hooks\" | FATAL: password authentication failed for user \"***\"",
        "jdbc:postgresql://db/postgres?user=postgres         | Connection to jdbc:postgresql://db/postgres?user=postgres refused, postgres | Connection to jdbc:postgresql://db/postgres refused, ***",
        "jdbc:postgresql://db/app?user=ho;oks                | FATAL: role ho;oks does not exist                     | FATAL: role *** does not exist",
    })
    void scrub_removesTheUser(String url, String message, String scrubbed) {
        assertEquals(scrubbed, JdbcUrls.scrub(message, url));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://hooks:s3cret@db/app                                   | true",
        "jdbc:postgresql://s3cret@db/app                                         | true",
        "jdbc:postgresql://hooks:s3cr/et@db:5432/app                             | true",
        "jdbc:postgresql://hooks:Zm9v/YmE=@db                                    | true",
        "jdbc:postgresql://hooks:s3c?ret@db/app                                  | true",
        "jdbc:postgresql://hooks:s3c;ret@db/app                                  | true",
        "jdbc:postgresql://hooks:s3c/r?et@db/app                                 | true",
        "jdbc:postgresql://hooks:s3c/r;et@db/app                                 | true",
        "jdbc:postgresql://hooks:a/b?c/d=e@db/app                                | true",
        "jdbc:postgresql://db:5432?user=hooks@server&password=s3cret             | false",
        "jdbc:postgresql://?user=hooks@server                                    | false",
        "jdbc:postgresql://?password=s3cret&user=hooks@server                    | false",
        "jdbc:postgresql://s3cret?a=b@db/app                                     | true",
        "jdbc:postgresql://s3c?ret@db                                            | true",
        "jdbc:h2:tcp://s3c;ret=x@localhost:9092/~/hooks                          | true",
        "jdbc:h2:tcp://s3c;ret=x@localhost:9092;USER=sa                          | true",
        "jdbc:h2:tcp://;s3c=ret@localhost:9092/~/hooks                           | true",
        "jdbc:postgresql://hooks:s3c/r?e=t@db/app                                | true",
        "jdbc:postgresql://db:54x2/app                                           | true",
        "jdbc:postgresql://db1:5432,db2:/app                                     | false",
        "jdbc:postgresql://[::1]/app                                             | false",
        "jdbc:postgresql://db/us@er?password=pw1                                 | true",
        "jdbc:h2:tcp://sa:s3cret@localhost/~/hooks                               | true",
        "jdbc:postgresql://db.internal:5432/app?user=hooks@server&password=p@ss  | false",
        "jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary        | false",
        "jdbc:postgresql://[::1]:5432/app?sslrootcert=/etc/ssl/ca.pem            | false",
        "jdbc:postgresql://db/us%40er                                            | false",
        "jdbc:postgresql://db                                                    | false",
        "jdbc:postgresql:app?password=s3c@ret                                    | false",
        "jdbc:h2:tcp://localhost:9092/~/hooks;USER=sa@x;PASSWORD=s3c@ret         | false",
        "jdbc:h2:mem:webhooks;DB_CLOSE_DELAY=-1                                  | false",
        "jdbc:postgresql://hooks:5432;s3c=ret@db/app                             | true",
        "jdbc:postgresql://hooks;s3c=ret@db/app                                  | true",
        "jdbc:postgresql://db/app?user=hooks&password=pa;ss@word                 | false",
        "jdbc:postgresql://db/app?user=hooks&password=pa;ss/word                 | false",
        "jdbc:postgresql:app?password=s3cret&ApplicationName=svc://a@b           | false",
        "jdbc:postgresql:app?ApplicationName=svc://a:b                           | false",
        "jdbc:h2:mem:x;PASSWORD=s3cret;INIT=RUNSCRIPT FROM http://u@h/x.sql      | false",
    })
    void hasUserInfo_looksWhereAHostOrADatabaseStands_notInAParametersValue(String url, boolean userInfo) {
        assertEquals(userInfo, JdbcUrls.hasUserInfo(url));
    }

    /**
     * H2 takes {@code \;} as a {@code ;} in a setting's value, as its documentation's {@code INIT=RUNSCRIPT FROM
     * '~/create.sql'\;RUNSCRIPT FROM '~/init.sql'}: what follows it is no setting's name, so a {@code /} or {@code @} there
     * is no user-info (checked with H2 2.3.232: {@code jdbc:h2:mem:x;INIT=CREATE SCHEMA IF NOT EXISTS A\;CREATE SCHEMA
     * IF NOT EXISTS "B/@"} makes both schemas). A {@code ;} after an escaped backslash ends the setting.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "jdbc:h2:tcp://localhost/~/hooks;INIT=RUNSCRIPT FROM '~/create.sql'\\;RUNSCRIPT FROM '~/init.sql' | false",
        "jdbc:h2:tcp://localhost/~/hooks;INIT=SET SCHEMA S\\;CREATE SCHEMA IF NOT EXISTS T@X;USER=sa    | false",
        "jdbc:h2:tcp://localhost/~/hooks;INIT=SET X='\\\\';a/b@c=d                                     | true",
        "jdbc:h2:tcp://localhost/~/hooks;USER=sa;pa/ss@word                                           | true",
    })
    void hasUserInfo_takesAnEscapedSemicolonOfH2AsPartOfItsValue(String url, boolean userInfo) {
        assertEquals(userInfo, JdbcUrls.hasUserInfo(url), url);
    }
}
