package org.blohub.hub;

import org.blohub.mail.EmbeddedMailServer;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

/** The whole hub with its embedded mail server, reached as offices and agencies reach it: SMTP in, IMAP out. */
abstract class HubMailTestSupport extends HubTestSupport {

    static final String HUB = "alerts@blo-hub.local";
    static final String LAOCAI = "vn-laocai@offices.blo-hub.local";

    @Autowired
    EmbeddedMailServer mailServer;
    TestMail mail;

    @BeforeEach
    void mailClient() {
        mail = new TestMail(mailServer);
    }
}
