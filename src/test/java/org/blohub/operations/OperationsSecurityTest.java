package org.blohub.operations;

import com.fasterxml.jackson.databind.JsonNode;
import org.blohub.broker.Credentials;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads for VIEWER and OPERATOR; actions for OPERATOR only; nothing without a login; offices and agencies: nothing. */
class OperationsSecurityTest extends OperationsTestSupport {

    @Test
    void aViewerMayReadButEveryActionIsForbiddenAndChangesNothing() throws Exception {
        String dead = deadLetterOf(uniqueRef("SEC"));
        String original = sendText(OFFICE, "not an alert " + uniqueRef("SEC"));
        assertThat(receipt(OFFICE, original).get("status").asText()).isEqualTo("REJECTED");
        String quarantined = quarantineIdOf(original);
        long auditedBefore = json("GET", "/api/audit?size=1", Credentials.VIEWER, 200).get("total").asLong();

        for (String[] action : actions(dead, quarantined)) {
            HttpResponse<byte[]> r = call(action[0], action[1], Credentials.VIEWER, "{}".getBytes(), "application/json");
            assertThat(r.statusCode()).as("viewer " + action[0] + " " + action[1]).isEqualTo(403);
            for (String office : List.of(OFFICE, AGENCY)) {
                assertThat(call(action[0], action[1], office).statusCode()).as(office + " " + action[0] + " " + action[1])
                        .isEqualTo(403);
            }
            assertThat(call(action[0], action[1], null).statusCode()).as("anonymous " + action[0] + " " + action[1])
                    .isEqualTo(401);
        }
        assertThat(deadLetters.list(DeadLetters.Filter.ALL, 0, 500).items()).anyMatch(d -> d.id().equals(dead));
        assertThat(quarantine.list(QuarantineStore.Filter.ALL, 0, 500).items()).anyMatch(q -> q.id().equals(quarantined));
        assertThat(json("GET", "/api/audit?size=1", Credentials.VIEWER, 200).get("total").asLong()).isEqualTo(auditedBefore);

        for (String read : reads(dead, quarantined)) {
            assertThat(call("GET", read, Credentials.VIEWER).statusCode()).as("viewer GET " + read).isEqualTo(200);
            assertThat(call("GET", read, Credentials.OPERATOR).statusCode()).as("operator GET " + read).isEqualTo(200);
            assertThat(call("GET", read, OFFICE).statusCode()).as("office GET " + read).isEqualTo(403);
            assertThat(call("GET", read, null).statusCode()).as("anonymous GET " + read).isEqualTo(401);
        }

        // the operator may act
        deadLetters.discard(dead, Credentials.OPERATOR);
        json("DELETE", "/api/quarantine/" + quarantined, Credentials.OPERATOR, 200);
    }

    @Test
    void badPagesAndIdsAreAnsweredNotFailed() throws Exception {
        assertThat(json("GET", "/api/dead-letters?size=0", Credentials.VIEWER, 400).get("error").asText()).contains("size");
        assertThat(json("GET", "/api/audit?page=-1", Credentials.VIEWER, 400).get("error").asText()).contains("page");
        json("GET", "/api/dead-letters/no-such-thing", Credentials.VIEWER, 404);
        json("POST", "/api/dead-letters/agency.VN-DRUG~00000000-0000-0000-0000-000000000000/replay", Credentials.OPERATOR, 404);
        json("DELETE", "/api/quarantine/_not-base64!", Credentials.OPERATOR, 404);
        HttpResponse<byte[]> r = call("GET", "/api/quarantine/00000000-0000-0000-0000-000000000000/original", Credentials.VIEWER);
        assertThat(r.statusCode()).isEqualTo(404);
        JsonNode page = json("GET", "/api/audit?size=2", Credentials.OPERATOR, 200);
        assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
        assertThat(page.get("size").asInt()).isEqualTo(2);
        assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(page.get("items").size());
    }

    static List<String[]> actions(String dead, String quarantined) {
        return List.of(
                new String[]{"POST", "/api/dead-letters/" + dead + "/replay"},
                new String[]{"DELETE", "/api/dead-letters/" + dead},
                new String[]{"POST", "/api/quarantine/" + quarantined + "/resubmit"},
                new String[]{"DELETE", "/api/quarantine/" + quarantined});
    }

    static List<String> reads(String dead, String quarantined) {
        return List.of("/api/dead-letters", "/api/dead-letters/" + dead, "/api/quarantine", "/api/quarantine/" + quarantined,
                "/api/quarantine/" + quarantined + "/original", "/api/audit");
    }
}
