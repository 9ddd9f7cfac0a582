package org.blohub.operations;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageIdsTest {

    @Test
    void artemisJmsIdsBecomeTheirUuidAndAnyOtherIdIsBase64() {
        String jms = "ID:5f0c2a9e-1b2c-11f0-9d6e-0242ac120002";
        assertThat(MessageIds.encode(jms)).isEqualTo("5f0c2a9e-1b2c-11f0-9d6e-0242ac120002");
        assertThat(MessageIds.decode(MessageIds.encode(jms))).contains(jms);

        String odd = "ID:AMQP_STRING:a/b c?d";
        String encoded = MessageIds.encode(odd);
        assertThat(encoded).startsWith("_").matches("[A-Za-z0-9_-]+");
        assertThat(MessageIds.decode(encoded)).contains(odd);
        assertThat(MessageIds.decode("<not>")).isEmpty();
        assertThat(MessageIds.decode("_***")).isEmpty();
        assertThat(MessageIds.encode(null)).isNull();
    }

    @Test
    void aDeadLettersIdNamesItsQueueAndNothingOutsideTheDeadLetterAddress() {
        String id = MessageIds.deadLetter("agency.VN-DRUG", "ID:abc-123");
        assertThat(id).isEqualTo("agency.VN-DRUG~abc-123");
        assertThat(MessageIds.decodeDeadLetter(id)).hasValueSatisfying(qm -> {
            assertThat(qm[0]).isEqualTo("agency.VN-DRUG");
            assertThat(qm[1]).isEqualTo("ID:abc-123");
        });
        // a queue name that could reach out of DLA (an FQQN) is no dead letter id
        assertThat(MessageIds.decodeDeadLetter("x::y~abc")).isEmpty();
        assertThat(MessageIds.decodeDeadLetter("~abc")).isEmpty();
        assertThat(MessageIds.decodeDeadLetter("abc")).isEmpty();
        assertThat(MessageIds.selector("ID:it's")).isEqualTo("JMSMessageID = 'ID:it''s'");
    }
}
