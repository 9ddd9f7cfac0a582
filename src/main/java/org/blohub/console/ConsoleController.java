package org.blohub.console;

import org.blohub.audit.AlertStatus;
import org.blohub.audit.TraceQuery;
import org.blohub.audit.TraceSearch;
import org.blohub.monitor.HubMonitor;
import org.blohub.operations.DeadLetters;
import org.blohub.operations.OperationException;
import org.blohub.operations.OperatorAudit;
import org.blohub.operations.QuarantineStore;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The operators' console: server-rendered pages over the same beans as the REST API (trace, dead letters,
 * quarantine, audit, monitor). Every action is a POST with a CSRF token, done in the operator's name.
 */
@Controller
public class ConsoleController {

    private static final int PAGE_SIZE = 50;

    private final HubMonitor monitor;
    private final TraceQuery trace;
    private final DeadLetters deadLetters;
    private final QuarantineStore quarantine;
    private final OperatorAudit audit;

    public ConsoleController(HubMonitor monitor, TraceQuery trace, DeadLetters deadLetters, QuarantineStore quarantine,
                             OperatorAudit audit) {
        this.monitor = monitor;
        this.trace = trace;
        this.deadLetters = deadLetters;
        this.quarantine = quarantine;
        this.audit = audit;
    }

    @GetMapping("/")
    String home() {
        return "redirect:/console";
    }

    @GetMapping("/console")
    String dashboard(Model model) {
        model.addAttribute("channels", monitor.channels());
        model.addAttribute("queues", monitor.agencyQueues());
        return "console/dashboard";
    }

    @GetMapping("/console/alerts")
    String alerts(@RequestParam(required = false) String office, @RequestParam(required = false) String sourceRef,
                  @RequestParam(required = false) String agency, @RequestParam(required = false) AlertStatus status,
                  @RequestParam(required = false) LocalDate from, @RequestParam(required = false) LocalDate to,
                  @RequestParam(defaultValue = "0") int page, Model model) {
        TraceSearch search = TraceSearch.all().office(blank(office)).sourceRef(blank(sourceRef)).agency(blank(agency))
                .status(status).between(day(from), to == null ? null : day(to.plusDays(1))).page(page, PAGE_SIZE);
        model.addAttribute("result", trace.search(search));
        model.addAttribute("statuses", AlertStatus.values());
        return "console/alerts";
    }

    @GetMapping("/console/alerts/{alertId}")
    String alert(@PathVariable String alertId, Model model) {
        var events = trace.trace(alertId);
        if (events.isEmpty()) {
            throw new OperationException.NotFound("no trace for alert " + alertId);
        }
        model.addAttribute("alertId", alertId);
        model.addAttribute("events", events);
        return "console/alert";
    }

    @GetMapping("/console/dead-letters")
    String deadLetters(@RequestParam(required = false) String agency, @RequestParam(defaultValue = "0") int page,
                       Model model) {
        model.addAttribute("result", deadLetters.list(new DeadLetters.Filter(null, blank(agency), null), page, PAGE_SIZE));
        return "console/dead-letters";
    }

    @GetMapping("/console/dead-letters/{id}")
    String deadLetter(@PathVariable String id, Authentication who, Model model) {
        model.addAttribute("detail", deadLetters.inspect(id, who.getName()));
        return "console/dead-letter";
    }

    @PostMapping("/console/dead-letters/{id}/replay")
    String replay(@PathVariable String id, Authentication who, RedirectAttributes flash) {
        DeadLetters.Replayed r = deadLetters.replay(id, who.getName());
        flash.addFlashAttribute("done", "Replayed to " + r.queue() + " (alert " + r.alertId() + ")");
        return "redirect:/console/dead-letters";
    }

    @PostMapping("/console/dead-letters/{id}/discard")
    String discardDeadLetter(@PathVariable String id, Authentication who, RedirectAttributes flash) {
        deadLetters.discard(id, who.getName());
        flash.addFlashAttribute("done", "Discarded " + id);
        return "redirect:/console/dead-letters";
    }

    @GetMapping("/console/quarantine")
    String quarantined(@RequestParam(required = false) String office, @RequestParam(defaultValue = "0") int page,
                       Model model) {
        model.addAttribute("result", quarantine.list(new QuarantineStore.Filter(blank(office), null), page, PAGE_SIZE));
        return "console/quarantine";
    }

    @GetMapping("/console/quarantine/{id}")
    String quarantinedOne(@PathVariable String id, Authentication who, Model model) {
        model.addAttribute("detail", quarantine.inspect(id, who.getName()));
        return "console/quarantined";
    }

    @PostMapping("/console/quarantine/{id}/resubmit")
    String resubmit(@PathVariable String id, @RequestParam String corrected, Authentication who,
                    RedirectAttributes flash) {
        QuarantineStore.Resubmitted r = quarantine.resubmit(id, corrected.getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8, who.getName());
        flash.addFlashAttribute("done", "Re-submitted as " + r.office() + " to " + r.queue());
        return "redirect:/console/quarantine";
    }

    @PostMapping("/console/quarantine/{id}/discard")
    String discardQuarantined(@PathVariable String id, Authentication who, RedirectAttributes flash) {
        quarantine.discard(id, who.getName());
        flash.addFlashAttribute("done", "Discarded " + id);
        return "redirect:/console/quarantine";
    }

    @GetMapping("/console/audit")
    String audit(@RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("result", audit.page(page, PAGE_SIZE, null, null, null));
        return "console/audit";
    }

    @ExceptionHandler(OperationException.NotFound.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String notFound(OperationException e, Model model) {
        model.addAttribute("message", e.getMessage());
        return "console/problem";
    }

    @ExceptionHandler({OperationException.Refused.class, IllegalArgumentException.class})
    @ResponseStatus(HttpStatus.CONFLICT)
    String refused(RuntimeException e, Model model) {
        model.addAttribute("message", e.getMessage());
        return "console/problem";
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Instant day(LocalDate d) {
        return d == null ? null : d.atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
