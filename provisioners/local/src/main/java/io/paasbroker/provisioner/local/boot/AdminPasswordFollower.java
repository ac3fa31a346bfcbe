package io.paasbroker.provisioner.local.boot;

import org.springframework.scheduling.annotation.Scheduled;

/** Each replica looks now and then for an admin password another replica rotated, so none needs a restart. */
class AdminPasswordFollower {

    private final AdminPasswordRotator rotator;

    AdminPasswordFollower(AdminPasswordRotator rotator) {
        this.rotator = rotator;
    }

    @Scheduled(
            initialDelayString = "${paasbroker.admin-passwords.follow-interval-ms:15000}",
            fixedDelayString = "${paasbroker.admin-passwords.follow-interval-ms:15000}")
    void follow() {
        rotator.followStoredPasswords();
    }
}
