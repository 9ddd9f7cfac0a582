package org.blohub.sftp;

import org.blohub.broker.Credentials;
import org.blohub.office.ConfigException;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;
import org.blohub.routing.Agency;
import org.blohub.routing.AgencyRegistry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The accounts of the SFTP drop box: one per office (home: its {@code sftpDirectory}), one per agency that takes
 * alerts by SFTP (home: its id in lower case), and the hub's own (home: the root). An account logs in by its id
 * ({@code VN-LAOCAI}) or by its home's name ({@code vn-laocai}), in any letter case; its password is the id's in
 * {@link Credentials}, so one id serves every channel.
 */
public final class SftpAccounts {

    /** A home is one plain directory name: no '/', no '..', not hidden (hidden names are the hub's). */
    private static final Pattern HOME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    private final Map<String, SftpAccount> byLogin = new LinkedHashMap<>();
    private final List<SftpAccount> all = new ArrayList<>();

    public SftpAccounts(Collection<SftpAccount> accounts) {
        Map<String, String> homes = new LinkedHashMap<>();
        for (SftpAccount a : accounts) {
            if (!a.isHub()) {
                if (!HOME.matcher(a.home()).matches()) {
                    throw new ConfigException("SFTP home '" + a.home() + "' of " + a.id()
                            + ": must be one lower-case directory name (letters, digits, '.', '_', '-'; not hidden)");
                }
                String before = homes.putIfAbsent(a.home(), a.id());
                if (before != null) {
                    throw new ConfigException("SFTP home '" + a.home() + "' is used by both " + before + " and " + a.id());
                }
            }
            register(a.id(), a);
            if (!a.isHub()) {
                register(a.home(), a);
            }
            all.add(a);
        }
    }

    /** Offices, SFTP agencies and the hub (user {@code hubUser}, normally {@value Credentials#HUB}). */
    public static SftpAccounts of(OfficeRegistry offices, AgencyRegistry agencies, String hubUser) {
        List<SftpAccount> list = new ArrayList<>();
        offices.all().stream().sorted(java.util.Comparator.comparing(Office::id))
                .forEach(o -> list.add(new SftpAccount(o.id(), o.sftpDirectory(), SftpAccount.Kind.OFFICE)));
        agencies.all().stream().filter(a -> a.delivery().channel() == Agency.Channel.SFTP)
                .forEach(a -> list.add(new SftpAccount(a.id(), a.id().toLowerCase(Locale.ROOT), SftpAccount.Kind.AGENCY)));
        list.add(new SftpAccount(hubUser, "", SftpAccount.Kind.HUB));
        return new SftpAccounts(list);
    }

    private void register(String login, SftpAccount a) {
        SftpAccount before = byLogin.putIfAbsent(login.toLowerCase(Locale.ROOT), a);
        if (before != null && !before.equals(a)) {
            throw new ConfigException("SFTP login '" + login + "' would be both " + before.id() + " and " + a.id());
        }
    }

    /** The account a login name means (its id or its home's name, any letter case). */
    public Optional<SftpAccount> byLogin(String login) {
        return login == null ? Optional.empty() : Optional.ofNullable(byLogin.get(login.toLowerCase(Locale.ROOT)));
    }

    public List<SftpAccount> all() {
        return List.copyOf(all);
    }

    public List<SftpAccount> offices() {
        return all.stream().filter(a -> a.kind() == SftpAccount.Kind.OFFICE).toList();
    }

    public Optional<SftpAccount> office(String officeId) {
        return offices().stream().filter(a -> a.id().equals(officeId)).findFirst();
    }
}
