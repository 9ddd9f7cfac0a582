package org.blohub.broker;

import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The broker's queues and who may do what on them (DESIGN §8). Plain Java: the broker, the hub's routes and the
 * console all take the queue names from here.
 *
 * <pre>
 *   blo.inbound.&lt;OFFICE&gt;   the office SENDs its alerts here                 (office: SEND)
 *   blo.receipts.&lt;OFFICE&gt;  the hub puts the office's receipts here           (office: CONSUME, BROWSE)
 *   agency.&lt;AGENCY&gt;        alerts routed to an agency taking JMS           (agency: CONSUME, BROWSE)
 *   hub.outbox.&lt;AGENCY&gt;    hub-internal: per-agency queue for mail/SFTP/HTTPS delivery
 *   hub.quarantine         hub-internal: bad input with its reason
 *   DLQ.&lt;queue&gt;           dead letters of each queue, created by the broker on the address {@value #DEAD_LETTER_ADDRESS}
 * </pre>
 *
 * Authorization: each principal's broker role is its own id. The hub user {@value Credentials#HUB} has every
 * permission on every address (match {@code #}: including creating/deleting queues and management); every other
 * principal has exactly the permissions above on its own queues and nothing anywhere else. Artemis uses only the most
 * specific matching security setting (it does not merge them), so every per-queue entry repeats the hub's role.
 */
public final class BrokerTopology {

    public static final String INBOUND_PREFIX = "blo.inbound.";
    public static final String RECEIPTS_PREFIX = "blo.receipts.";
    public static final String AGENCY_PREFIX = "agency.";
    public static final String OUTBOX_PREFIX = "hub.outbox.";
    public static final String QUARANTINE = "hub.quarantine";
    /** The address the broker moves dead letters to; each queue gets its own {@code DLQ.<queue>} on it. */
    public static final String DEAD_LETTER_ADDRESS = "DLA";
    public static final String DEAD_LETTER_PREFIX = "DLQ.";
    /** Safety net only: expiry is off, but should a message ever expire it is kept in {@code EXP.<queue>} here. */
    public static final String EXPIRY_ADDRESS = "Expired";
    public static final String EXPIRY_PREFIX = "EXP.";
    /** Match for hub-internal addresses (the hub may auto-create queues there). */
    public static final String HUB_INTERNAL_MATCH = "hub.#";
    public static final String MATCH_ALL = "#";

    private final List<String> officeIds;
    private final List<String> agencyIds;

    public BrokerTopology(Collection<String> officeIds, Collection<String> agencyIds) {
        // ids end up in address names and match expressions: no '.', '#', '*' or spaces (checked with the credentials)
        Credentials.principalIds(officeIds, agencyIds);
        this.officeIds = List.copyOf(officeIds);
        this.agencyIds = List.copyOf(agencyIds);
    }

    public static String inbound(String officeId) {
        return INBOUND_PREFIX + officeId;
    }

    public static String receipts(String officeId) {
        return RECEIPTS_PREFIX + officeId;
    }

    public static String agency(String agencyId) {
        return AGENCY_PREFIX + agencyId;
    }

    public static String outbox(String agencyId) {
        return OUTBOX_PREFIX + agencyId;
    }

    /** The dead-letter queue the broker creates for {@code queue} (on {@link #DEAD_LETTER_ADDRESS}). */
    public static String deadLetters(String queue) {
        return DEAD_LETTER_PREFIX + queue;
    }

    /**
     * The dead-letter queue of {@code queue} fully qualified ({@code DLA::DLQ.<queue>}), as a JMS client names it: the
     * queue lives on the address {@value #DEAD_LETTER_ADDRESS}, not on an address of its own name.
     */
    public static String deadLettersFqqn(String queue) {
        return DEAD_LETTER_ADDRESS + "::" + deadLetters(queue);
    }

    public List<String> officeIds() {
        return officeIds;
    }

    public List<String> agencyIds() {
        return agencyIds;
    }

    /** Every principal id, offices then agencies then the built-in users. */
    public List<String> principalIds() {
        return Credentials.principalIds(officeIds, agencyIds);
    }

    /** Every queue the broker creates at start (anycast, durable; the address has the queue's name). */
    public List<String> queues() {
        List<String> q = new ArrayList<>();
        for (String o : officeIds) {
            q.add(inbound(o));
            q.add(receipts(o));
        }
        for (String a : agencyIds) {
            q.add(agency(a));
            q.add(outbox(a));
        }
        q.add(QUARANTINE);
        return List.copyOf(q);
    }

    /** The broker role names of a principal: its own id (the hub's is {@value Credentials#HUB}). */
    public static Set<String> rolesOf(String principalId) {
        return Set.of(principalId);
    }

    /** Security settings: address match -> roles with their permissions. Nothing for anyone but the hub on {@code #}. */
    public Map<String, Set<Role>> securityRoles() {
        Map<String, Set<Role>> m = new LinkedHashMap<>();
        m.put(MATCH_ALL, Set.of(hubRole()));
        for (String o : officeIds) {
            m.put(inbound(o), Set.of(hubRole(), role(o, EnumSet.of(CheckType.SEND))));
            m.put(receipts(o), Set.of(hubRole(), role(o, EnumSet.of(CheckType.CONSUME, CheckType.BROWSE))));
        }
        for (String a : agencyIds) {
            m.put(agency(a), Set.of(hubRole(), role(a, EnumSet.of(CheckType.CONSUME, CheckType.BROWSE))));
        }
        return m;
    }

    /** What {@code principalId} may do on {@code address} according to {@link #securityRoles()} (for checks and the console). */
    public Set<CheckType> permissions(String principalId, String address) {
        Set<CheckType> result = EnumSet.noneOf(CheckType.class);
        Set<Role> roles = securityRoles().getOrDefault(address, securityRoles().get(MATCH_ALL));
        for (Role r : roles) {
            if (rolesOf(principalId).contains(r.getName())) {
                for (CheckType t : CheckType.values()) {
                    if (t.hasRole(r)) {
                        result.add(t);
                    }
                }
            }
        }
        return result;
    }

    private static Role hubRole() {
        return role(Credentials.HUB, EnumSet.allOf(CheckType.class));
    }

    static Role role(String name, Set<CheckType> allowed) {
        Role r = new Role();
        r.setName(name);
        r.setSend(allowed.contains(CheckType.SEND));
        r.setConsume(allowed.contains(CheckType.CONSUME));
        r.setBrowse(allowed.contains(CheckType.BROWSE));
        r.setCreateAddress(allowed.contains(CheckType.CREATE_ADDRESS));
        r.setDeleteAddress(allowed.contains(CheckType.DELETE_ADDRESS));
        r.setCreateDurableQueue(allowed.contains(CheckType.CREATE_DURABLE_QUEUE));
        r.setDeleteDurableQueue(allowed.contains(CheckType.DELETE_DURABLE_QUEUE));
        r.setCreateNonDurableQueue(allowed.contains(CheckType.CREATE_NON_DURABLE_QUEUE));
        r.setDeleteNonDurableQueue(allowed.contains(CheckType.DELETE_NON_DURABLE_QUEUE));
        r.setManage(allowed.contains(CheckType.MANAGE));
        r.setView(allowed.contains(CheckType.VIEW));
        r.setEdit(allowed.contains(CheckType.EDIT));
        return r;
    }
}
