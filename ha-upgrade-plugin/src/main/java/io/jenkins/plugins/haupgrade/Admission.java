package io.jenkins.plugins.haupgrade;

import hudson.model.Job;
import hudson.security.SecurityRealm;
import java.util.List;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Whether a Jenkins user may approve a step whose spec names {@code submitters}, by the input step's rules (a
 * submitter by Jenkins' id strategies, an administrator, anyone when security is off; Job/Build when the spec names
 * nobody), and what the engine is told. The engine compares names as written; when Jenkins admitted the user some
 * other way, {@link #as} says how, the engine accepts it on the plugin's word, and the report shows it.
 *
 * @param allowed whether the user may approve
 * @param as      null when the spec names the user or one of their groups as written (or names nobody); else how
 *                Jenkins admitted them, e.g. "Jenkins administrator"
 */
record Admission(boolean allowed, String as) {
    private static final Admission REFUSED = new Admission(false, null);
    private static final Admission NAMED = new Admission(true, null);

    static Admission of(Authentication who, List<String> submitters, Job<?, ?> job) {
        if (submitters.isEmpty()) {
            return job.hasPermission2(who, Job.BUILD) ? NAMED : REFUSED;
        }
        List<String> groups = groups(who);
        if (submitters.contains(who.getName()) || groups.stream().anyMatch(submitters::contains)) {
            return NAMED;
        }
        SecurityRealm realm = Jenkins.get().getSecurityRealm();
        for (String submitter : submitters) {
            if (realm.getUserIdStrategy().equals(who.getName(), submitter.strip())) {
                return new Admission(true, "submitter " + submitter);
            }
            for (String group : groups) {
                if (realm.getGroupIdStrategy().equals(group, submitter.strip())) {
                    return new Admission(true, "member of " + submitter);
                }
            }
        }
        if (!Jenkins.get().isUseSecurity()) {
            return new Admission(true, "anyone: Jenkins security is off");
        }
        if (Jenkins.get().hasPermission2(who, Jenkins.ADMINISTER)) {
            return new Admission(true, "Jenkins administrator");
        }
        return REFUSED;
    }

    static List<String> groups(Authentication who) {
        return who.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
    }
}
