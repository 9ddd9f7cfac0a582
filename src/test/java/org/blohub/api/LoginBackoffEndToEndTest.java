package org.blohub.api;

import org.blohub.broker.Credentials;
import org.blohub.hub.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lock ends when its backoff has passed, over HTTP basic against the whole hub. A context of its own, with a
 * backoff of 5 s instead of 15 minutes: the end of a lock cannot be waited for in the shared hub, and a lock there
 * would stay for the other tests.
 */
@TestPropertySource(properties = "blo.security.login-throttle.backoff=PT5S")
class LoginBackoffEndToEndTest extends HubTestSupport {

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theRightPasswordIsRefusedUntilTheBackoffHasPassedThenASuccessClearsTheCount() throws Exception {
        String user = Credentials.VIEWER;
        for (int i = 1; i <= 5; i++) {
            assertThat(status(user, "wrong-" + i)).as("wrong password " + i).isEqualTo(401);
        }
        assertThat(status(user, password(user))).as("locked").isEqualTo(429);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> status(user, password(user)) == 200);

        // the success cleared the count: four more failures do not lock
        for (int i = 1; i <= 4; i++) {
            assertThat(status(user, "again-" + i)).isEqualTo(401);
        }
        assertThat(status(user, password(user))).isEqualTo(200);
    }

    int status(String user, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/audit"))
                        .header("Authorization", HttpHardeningEndToEndTest.basic(user, password)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
