package org.blohub.ingest;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Handler;
import org.blohub.alert.Sha256;
import org.blohub.normalize.AlertIntake;
import org.blohub.normalize.InputLimits;
import org.blohub.normalize.Origin;
import org.blohub.normalize.Outcome;
import org.blohub.normalize.Problem;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The normalize stage: one inbound message in, one outcome per alert out (accepted, or rejected
 * with its problems). Input that cannot be read at all is one rejected outcome naming why.
 */
public final class Intake {

    private final AlertIntake intake;
    private final OfficeRegistry offices;
    private final InputLimits limits;

    public Intake(AlertIntake intake, OfficeRegistry offices, InputLimits limits) {
        this.intake = intake;
        this.offices = offices;
        this.limits = limits;
    }

    @Handler
    public List<Outcome> read(@ExchangeProperty(Inbound.PROPERTY) Inbound inbound,
                              @ExchangeProperty(JmsIngress.UNREADABLE_KIND) String refused) {
        if (refused != null) {
            return List.of(rejected(inbound, "", refused, null));
        }
        Office office = offices.find(inbound.office()).orElse(null);
        if (office == null) {
            return List.of(rejected(inbound, "office", "unknown office '" + inbound.office() + "'", null));
        }
        ReadContext ctx = new ReadContext(inbound.originalId(), office, offices, inbound.charset(), limits);
        Origin origin = new Origin(inbound.channel(), inbound.originalId(), Sha256.hex(inbound.raw()), false);
        List<Outcome> outcomes = new ArrayList<>();
        try {
            intake.read(new ByteArrayInputStream(inbound.raw()), ctx, origin, outcomes::add);
        } catch (UnreadableInputException e) {
            outcomes.add(rejected(inbound, "", e.getMessage(), e));
        } catch (PermanentFault e) {
            outcomes.add(rejected(inbound, e.field(), e.getMessage(), null));
        }
        return outcomes;
    }

    private static Outcome.Rejected rejected(Inbound inbound, String field, String message, UnreadableInputException e) {
        Problem p = new Problem(field, message, e == null ? null : e.at());
        return new Outcome.Rejected(null, inbound.office(), inbound.originalId(), p.at(), List.of(p));
    }

}
