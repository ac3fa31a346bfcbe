package io.paasbroker.provisioner.aws;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a provisioner's plans make resources, as their start-up checks found, with every configured account's own
 * region: where a snapshot named alone (the broker keeps a snapshot's name, not its place) may be.
 */
public final class AwsRegions {

    /** An account's region. */
    public record AccountRegion(String account, String region) {}

    private final AwsClients clients;
    private final Set<AccountRegion> ofPlans = ConcurrentHashMap.newKeySet();

    public AwsRegions(AwsClients clients) {
        this.clients = clients;
    }

    /** Notes where a plan makes its resources: its account, in its own region or the account's. */
    public void add(String account, String planRegion) {
        ofPlans.add(new AccountRegion(account, clients.account(account).region(planRegion)));
    }

    public Set<AccountRegion> all() {
        Set<AccountRegion> all = new HashSet<>(ofPlans);
        clients.accounts().values().forEach(account -> all.add(new AccountRegion(account.name(), account.region())));
        return all;
    }
}
