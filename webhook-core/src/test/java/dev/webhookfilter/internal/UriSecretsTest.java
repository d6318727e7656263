package dev.webhookfilter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UriSecretsTest {

    /** Each row: a URI, then the secrets written in it, separated by spaces (none: empty). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis://:pw1@redis.internal:6379                                      | pw1",
        "redis://user:pw1@redis.internal:6379/2                                | pw1",
        "redis://pw1@redis.internal                                            | pw1",
        "rediss-cluster://u:p%40ss@a:1,b:2                                     | p%40ss",
        "redis://u:pw:1@host                                                   | pw:1",
        "redis://@host                                                         | ''",
        "redis://:@host                                                        | ''",
        "redis://redis.internal:6379                                           | ''",
        "jdbc:postgresql://db/app?user=hooks&password=pw1&ssl=true             | pw1",
        "jdbc:postgresql://hooks:pw1@db/app?sslpassword=pw2                    | pw1 pw2",
        "jdbc:h2:tcp://localhost/~/hooks;USER=sa;PASSWORD=pw1                  | pw1",
        "jdbc:postgresql://db/app?PWD=pw1&Token=pw2&clientSecret=pw3&password= | pw1 pw2 pw3",
        "jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary      | ''",
        "jdbc:postgresql:app?password=pw1                                      | pw1",
        "jdbc:postgresql://db/us@er?password=pw1                               | pw1",
        "memory                                                                | ''",
        "//u:pw1@redis.internal                                                | pw1",
        "redis://@host:6379?password                                           | ''",
        "redis://host?=pw1                                                     | ''",
        "redis://:pw;1@redis.internal:6379                                     | pw;1",
        "redis://u:pw/1@redis.internal                                         | pw/1",
        "redis://:pw?1@redis.internal                                          | pw?1",
        "REDISS://pw;1@redis.internal                                          | pw;1",
        "rediss-cluster://u:p;w/1@a:1,b:2                                      | p;w/1",
        "jdbc:postgresql://db/app?user=hooks&password=pw;1&ssl=true            | pw;1",
        "jdbc:postgresql://db/app?user=hooks&password=;pw1                     | ;pw1",
        "jdbc:postgresql://db/app?password=pw?1&sslpassword=pw;2               | pw?1 pw;2",
        "jdbc:postgresql://db/app;password=x?user=hooks                        | ''",
        "jdbc:postgresql://db/app=?password=pw1                                | pw1",
        "jdbc:postgresql://db/password=x                                       | ''",
        "jdbc:postgresql://hooks:pw;1@db/app                                   | pw;1",
        "jdbc:h2:tcp://u:pw1@localhost/~/hooks;PASSWORD=pw2;USER=sa            | pw1 pw2",
        "other://db/app?password=pw;1                                          | pw;1 pw",
        "other://u:pw1@db/app?password=pw1                                    | pw1",
        "' redis://u:pw/1@redis.internal'                                      | pw/1",
        "' jdbc:postgresql://db/app?password=pw;1'                             | pw;1",
        "jdbc:postgresql:app?PGPORT=1&password=pw1&ApplicationName=svc://a@b   | pw1",
        "jdbc:h2:mem:x;PASSWORD=pw1;INIT=RUNSCRIPT FROM http://u@h/x.sql       | pw1",
        "memory?x=//a@b                                                        | ''",
        "other:x;y=//a@b                                                       | ''",
        "jdbc:h2:mem:x;INIT=RUNSCRIPT FROM http://u:pw1@h/x.sql                | pw1",
        "jdbc:postgresql:app?ApplicationName=svc://u:pw1@b&x=//c:pw2@d         | pw1 pw2",
        "jdbc:h2:tcp://u:pw1@localhost/~/x;INIT=RUNSCRIPT FROM http://v:pw2@h/ | pw1 pw2",
        "jdbc:postgresql:app?x=//:pw1@h                                        | pw1",
    })
    void in_findsTheUserInfosPasswordAndPasswordLikeParameters(String uri, String secrets) {
        List<String> expected = secrets.isEmpty() ? List.of() : Arrays.asList(secrets.split(" "));
        assertEquals(expected, UriSecrets.in(uri));
    }

    /** Each row: a URI, whether a ';' in it is ordinary, and where its authority begins (-1: it has none). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis://u:pw@host                          | false | 8",
        "jdbc:postgresql:app?x=svc://a@b            | true  | -1",
        "jdbc:postgresql:app;x=svc://a@b            | true  | 28",
        "jdbc:postgresql:app;x=svc://a@b            | false | -1",
        "jdbc:h2:mem:x;INIT=RUNSCRIPT FROM http://h | false | -1",
        "jdbc:h2:tcp://h/~/x;INIT=http://h          | false | 14",
        "jdbc:h2:mem:x                              | false | -1",
        "//h                                        | false | 2",
    })
    void authorityStart_isAfterTheFirstSlashes_beforeTheParameters(String uri, boolean semicolonIsOrdinary, int start) {
        assertEquals(start, UriSecrets.authorityStart(uri, semicolonIsOrdinary));
    }

    /** Each row: a text, where to look from, the characters to look for, and the index of the first of them. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/a?b;c | 0 | /?; | 0",
        "/a?b;c | 1 | /?; | 2",
        "/a;b?c | 1 | /?; | 2",
        "/a?b;c | 3 | /?; | 4",
        "/a?b;c | 5 | /?; | 6",
        "''     | 0 | /?; | 0",
    })
    void firstOf_isTheIndexOfTheFirstStop_orTheLength(String s, int from, String stops, int first) {
        assertEquals(first, UriSecrets.firstOf(s, from, stops.toCharArray()));
    }
}
