package io.paasbroker.catalog;

/** The version of what a plan deploys; a platform upgrades an instance by sending the plan's newer version. */
public record MaintenanceInfo(String version, String description) {}
