package org.blohub.mail;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthenticationResultsTest {

    static final String FROM = "vn-laocai@offices.bienphong.gov.vn";
    final AuthenticationResults check = new AuthenticationResults("mx.hub.gov.vn");

    String refusal(String... headers) {
        return check.refusal(List.of(headers), FROM);
    }

    @Test
    void dmarcPassForTheFromDomainProvesTheSender() {
        assertThat(refusal("mx.hub.gov.vn; spf=pass smtp.mailfrom=offices.bienphong.gov.vn;"
                + " dkim=pass header.d=offices.bienphong.gov.vn header.s=s1;"
                + " dmarc=pass (p=reject dis=none) header.from=offices.bienphong.gov.vn")).isNull();
        assertThat(refusal("MX.HUB.GOV.VN 1; dmarc=pass")).isNull(); // a version, any case; header.from optional
    }

    @Test
    void alignedDkimOrSpfPassProvesTheSenderWithoutADmarcVerdict() {
        assertThat(refusal("mx.hub.gov.vn; dkim=pass header.d=bienphong.gov.vn")).isNull(); // a parent domain
        assertThat(refusal("mx.hub.gov.vn; dkim=pass header.i=@offices.bienphong.gov.vn")).isNull();
        assertThat(refusal("mx.hub.gov.vn; spf=pass smtp.mailfrom=bounces@offices.bienphong.gov.vn")).isNull();
        assertThat(refusal("mx.hub.gov.vn;\r\n\tspf = pass (sender IP is 203.0.113.7) smtp.mailfrom = \"x@bienphong.gov.vn\""))
                .isNull();
    }

    @Test
    void failingResultsDoNotProveTheSender() {
        assertThat(refusal("mx.hub.gov.vn; dmarc=fail (p=reject) header.from=offices.bienphong.gov.vn"))
                .contains("not proven", "dmarc=fail");
        assertThat(refusal("mx.hub.gov.vn; spf=fail smtp.mailfrom=offices.bienphong.gov.vn; dkim=none"))
                .contains("spf=fail for offices.bienphong.gov.vn", "dkim=none", "none passing");
        assertThat(refusal("mx.hub.gov.vn; none")).contains("no SPF, DKIM or DMARC result");
        // dmarc=fail wins over a dkim pass in the same header
        assertThat(refusal("mx.hub.gov.vn; dkim=pass header.d=offices.bienphong.gov.vn; dmarc=fail")).contains("dmarc=fail");
    }

    @Test
    void withoutTheHubsServersHeaderTheSenderIsNotProven() {
        assertThat(refusal()).contains("no Authentication-Results of the hub's mail server (mx.hub.gov.vn)");
        assertThat(refusal("")).contains("no Authentication-Results");
    }

    @Test
    void aHeaderOfAnotherAuthservIdIsIgnored() {
        // the sender (or any server on the way) writes its own; only the hub's server counts
        assertThat(refusal("mail.attacker.example; dmarc=pass header.from=offices.bienphong.gov.vn"))
                .contains("no Authentication-Results of the hub's mail server");
        assertThat(refusal("mx.hub.gov.vn.attacker.example; dmarc=pass")).contains("no Authentication-Results");
        // a comment is no authserv-id
        assertThat(refusal("(mx.hub.gov.vn) mail.attacker.example; dmarc=pass")).contains("no Authentication-Results");
    }

    @Test
    void ofSeveralHeadersTheTopmostOfTheHubsServerDecides() {
        // the server adds its own on top; a copy with its id further down was written before it
        assertThat(refusal("mail.attacker.example; dmarc=pass",
                "mx.hub.gov.vn; dmarc=fail header.from=offices.bienphong.gov.vn",
                "mx.hub.gov.vn; dmarc=pass header.from=offices.bienphong.gov.vn")).contains("dmarc=fail");
        assertThat(refusal("relay.partner.example; dmarc=fail",
                "mx.hub.gov.vn; dmarc=pass header.from=offices.bienphong.gov.vn")).isNull();
    }

    @Test
    void dkimOrSpfOfAnotherDomainIsNotAligned() {
        assertThat(refusal("mx.hub.gov.vn; dkim=pass header.d=mailer.example.com")).contains("not proven",
                "dkim=pass for mailer.example.com", "none passing for offices.bienphong.gov.vn");
        assertThat(refusal("mx.hub.gov.vn; dkim=pass header.d=gov.vn.example")).contains("not proven");
        assertThat(refusal("mx.hub.gov.vn; dkim=pass header.d=vn")).contains("not proven"); // never a bare suffix
        assertThat(refusal("mx.hub.gov.vn; dkim=pass header.d=xoffices.bienphong.gov.vn")).contains("not proven");
        assertThat(refusal("mx.hub.gov.vn; spf=pass smtp.mailfrom=bounce@bulk.example.net")).contains("not proven");
        // dmarc=pass for another From domain than this mail's
        assertThat(refusal("mx.hub.gov.vn; dmarc=pass header.from=other.example")).contains("not proven");
    }

    @Test
    void controlCharactersInAHeaderReachNoMessageRaw() {
        assertThat(refusal("mx.hub.gov.vn; dmarc=fa\u001bil")).contains("dmarc=fa\\u001bil").doesNotContain("\u001b");
    }

    @Test
    void anAuthservIdIsRequired() {
        assertThatThrownBy(() -> new AuthenticationResults(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void alignment() {
        assertThat(AuthenticationResults.aligned("bienphong.gov.vn", "offices.bienphong.gov.vn")).isTrue();
        assertThat(AuthenticationResults.aligned("offices.bienphong.gov.vn", "offices.bienphong.gov.vn")).isTrue();
        assertThat(AuthenticationResults.aligned("offices.bienphong.gov.vn", "bienphong.gov.vn")).isFalse();
        assertThat(AuthenticationResults.aligned("vn", "gov.vn")).isFalse();
    }
}
