package org.blohub.monitor;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.blohub.broker.BrokerTopology;
import org.blohub.broker.EmbeddedBroker;
import org.blohub.routing.Agency;
import org.blohub.routing.AgencyRegistry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The hub's channels and agency queues as operators see them (dashboard, health). A channel is a route that talks to
 * the outside: JMS, mail, SFTP and API ingest, and every delivery route; a channel switched off
 * ({@code blo.sftp.enabled=false}, {@code blo.mail.enabled=false}) has no routes, so none is listed. Its status:
 * STOPPED or STARTING as Camel says, STARTING too while a poller's first poll is pending; DOWN while Camel's consumer
 * health check says its server is unreachable (a mailbox or SFTP server that cannot be polled), or while its last attempt failed and nothing succeeded since (a delivery to an agency whose server is down);
 * UP otherwise.
 */
public final class HubMonitor {

    private final CamelContext camel;
    private final RouteActivity activity;
    private final AgencyRegistry agencies;
    private final Optional<EmbeddedBroker> broker;
    private final Clock clock;

    public HubMonitor(CamelContext camel, RouteActivity activity, AgencyRegistry agencies,
                      Optional<EmbeddedBroker> broker, Clock clock) {
        this.camel = camel;
        this.activity = activity;
        this.agencies = agencies;
        this.broker = broker;
        this.clock = clock;
    }

    /** Every channel route, by channel, direction and id. */
    public List<ChannelState> channels() {
        Map<String, HealthCheck.Result> consumers = consumerChecks();
        List<ChannelState> out = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            Kind kind = Kind.of(route.getRouteId());
            if (kind == null) {
                continue;
            }
            RouteActivity.Activity a = activity.of(route.getRouteId());
            HealthCheck.Result check = consumers.get(route.getRouteId());
            String error = a.lastError();
            String status = status(camel.getRouteController().getRouteStatus(route.getRouteId()));
            if ("UP".equals(status) && check != null && check.getState() == HealthCheck.State.DOWN && firstPollPending(check)) {
                status = "STARTING";
            } else if ("UP".equals(status) && check != null && check.getState() == HealthCheck.State.DOWN) {
                status = "DOWN";
                error = check.getMessage().orElse(check.getError().map(Throwable::toString).orElse("server unreachable"));
            } else if ("UP".equals(status) && a.failing()) {
                status = "DOWN";
            }
            out.add(new ChannelState(route.getRouteId(), kind.channel, kind.direction, kind.office(route.getRouteId()),
                    kind.agency(route.getRouteId()), status, a.total(), a.failures(), a.perMinute(clock.millis()),
                    error, a.lastErrorAt()));
        }
        out.sort(Comparator.comparing(ChannelState::direction).thenComparing(ChannelState::channel)
                .thenComparing(ChannelState::routeId));
        return out;
    }

    /** Each agency's queue and its dead letters (empty with an external broker: ask the broker's own console). */
    public List<QueueState> agencyQueues() {
        if (broker.isEmpty() || !broker.get().isStarted()) {
            return List.of();
        }
        List<QueueState> out = new ArrayList<>();
        for (Agency a : agencies.all()) {
            String queue = a.delivery().channel() == Agency.Channel.JMS
                    ? BrokerTopology.agency(a.id()) : BrokerTopology.outbox(a.id());
            out.add(new QueueState(a.id(), queue, depth(queue), depth(BrokerTopology.deadLetters(queue))));
        }
        return out;
    }

    private long depth(String queue) {
        Queue q = broker.get().server().locateQueue(SimpleString.of(queue));
        return q == null ? 0 : q.getMessageCount();
    }

    private Map<String, HealthCheck.Result> consumerChecks() {
        return HealthCheckHelper.invoke(camel, (String) null).stream()
                .filter(r -> r.getCheck().getId().startsWith("consumer:"))
                .collect(Collectors.toMap(r -> r.getCheck().getId().substring("consumer:".length()),
                        Function.identity(), (x, y) -> x));
    }

    /**
     * A polling consumer that has not polled yet and has not failed either: Camel's check says DOWN until the first
     * poll ends, which for a mailbox polled every few seconds is every start, not an unreachable server.
     */
    private static boolean firstPollPending(HealthCheck.Result check) {
        return check.getError().isEmpty() && check.getDetails().get("failure.error.count") instanceof Number n
                && n.longValue() == 0;
    }

    private static String status(ServiceStatus s) {
        if (s == null) {
            return "STOPPED";
        }
        return switch (s) {
            case Started -> "UP";
            case Starting, Initializing, Initialized -> "STARTING";
            default -> "STOPPED";
        };
    }

    /** The channel routes, known by their ids (the route templates and the classes that add them). */
    enum Kind {
        JMS_IN("ingest-jms-", "JMS", "IN", true),
        SFTP_IN("ingest-sftp-", "SFTP", "IN", true),
        EMAIL_IN("mail-in", "EMAIL", "IN", false),
        API_IN("ingest-api", "API", "IN", false),
        JMS_OUT("deliver", "JMS", "OUT", false),
        EMAIL_OUT("mail-deliver-", "EMAIL", "OUT", false),
        EMAIL_REPLIES("mail-reply", "EMAIL", "OUT", false),
        SFTP_OUT("deliver-sftp-", "SFTP", "OUT", false),
        HTTPS_OUT("deliver-https-", "HTTPS", "OUT", false);

        final String prefix;
        final String channel;
        final String direction;
        final boolean perOffice;

        Kind(String prefix, String channel, String direction, boolean perOffice) {
            this.prefix = prefix;
            this.channel = channel;
            this.direction = direction;
            this.perOffice = perOffice;
        }

        static Kind of(String routeId) {
            for (Kind k : values()) {
                boolean perRoute = k.prefix.endsWith("-");
                if (perRoute ? routeId.startsWith(k.prefix) && routeId.length() > k.prefix.length()
                        && !routeId.equals("ingest-sftp-chunk") : routeId.equals(k.prefix)) {
                    return k;
                }
            }
            return null;
        }

        String office(String routeId) {
            return perOffice ? routeId.substring(prefix.length()) : null;
        }

        String agency(String routeId) {
            return !perOffice && prefix.endsWith("-") ? routeId.substring(prefix.length()) : null;
        }
    }
}
