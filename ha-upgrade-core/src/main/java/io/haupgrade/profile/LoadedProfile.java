package io.haupgrade.profile;

import io.haupgrade.spec.SpecLocations;

/** A profile as read from its file, with where each of its values was written (for errors about them). */
public record LoadedProfile(Profile profile, SpecLocations locations) {
}
