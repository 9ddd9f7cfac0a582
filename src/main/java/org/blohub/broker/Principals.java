package org.blohub.broker;

import java.util.List;

/**
 * Who may log in to the hub besides its built-in users ({@link Credentials#BUILT_IN}): the office ids and the agency
 * ids. Implemented by the application from its registries (config/offices.yaml, config/agencies.yaml); the broker
 * takes its queues, roles and credentials from it.
 *
 * <p>{@link BrokerConfiguration} takes the office ids from the {@code OfficeRegistry} bean (the authority) and checks
 * that {@link #officeIds()} names the same offices, so the two cannot drift apart unnoticed.
 */
public interface Principals {

    /** Ids of the offices, e.g. {@code VN-LAOCAI}. */
    List<String> officeIds();

    /** Ids of the agencies, e.g. {@code VN-DRUG}. */
    List<String> agencyIds();
}
