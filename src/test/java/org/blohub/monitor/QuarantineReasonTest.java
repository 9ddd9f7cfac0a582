package org.blohub.monitor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class QuarantineReasonTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "line 1: DOCTYPE (DTD) is not allowed: DTDs and entities are never processed | HOSTILE_XML",
            "input larger than the limit of 10485760 bytes | TOO_LARGE",
            "line 7: row longer than the limit of 65536 characters | TOO_LARGE",
            "line 40: nesting too deep (more than 32 levels) | TOO_DEEP",
            "line 3: bytes that do not decode as windows-874 | CHARSET",
            "unknown format: expected JSON, BLO XML, CAP, CSV or the email form | UNKNOWN_FORMAT",
            "not a CAP alert: root element <foo> | UNKNOWN_FORMAT",
            "malformed JSON: Unexpected character | MALFORMED",
            "unknown sender 'mallory@evil.example': no office allows it | UNKNOWN_SENDER",
            "addressees: none of the addressees of this TLP:RED alert may receive it | UNROUTABLE",
            "severity: does not match the enum | INVALID"})
    void eachReasonFallsIntoOneOfAFewClasses(String reason, QuarantineReason expected) {
        assertThat(QuarantineReason.of(reason)).isEqualTo(expected);
    }
}
