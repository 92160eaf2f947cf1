package io.jenkins.plugins.haupgrade;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.FilePath;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.haupgrade.spec.FailureAction;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecLoader;
import io.haupgrade.spec.SpecOverrides;
import io.haupgrade.spec.Strategy;
import java.io.IOException;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.springframework.security.core.Authentication;

/**
 * The form logic every descriptor shares (pipeline steps, freestyle build step). Callers are {@code @POST} web
 * methods; each method here checks the permission first, and without it lists only the current value or says
 * nothing, as the credentials plugin's consumer guide asks.
 */
final class FormChecks {
    private FormChecks() {
    }

    /** May the current user see what credentials {@code item} can use (or, without an item, administer)? */
    static boolean mayListCredentials(Item item) {
        if (item == null) {
            return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        }
        return item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
    }

    /** SSH private keys and username/password credentials {@code item}'s builds can use. */
    static ListBoxModel sshCredentials(Item item, String current) {
        StandardListBoxModel model = new StandardListBoxModel();
        if (!mayListCredentials(item)) {
            model.includeCurrentValue(current);
            return model;
        }
        model.includeEmptyValue();
        if (item == null) {
            model.includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), StandardCredentials.class, List.of(),
                    CredentialsMatchers.anyOf(CredentialsMatchers.instanceOf(SSHUserPrivateKey.class),
                            CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class)));
        } else {
            model.includeMatchingAs(authenticationOf(item), item, StandardCredentials.class, List.of(),
                    CredentialsMatchers.anyOf(CredentialsMatchers.instanceOf(SSHUserPrivateKey.class),
                            CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class)));
        }
        model.includeCurrentValue(current);
        return model;
    }

    /** Secret files (known_hosts) {@code item}'s builds can use. */
    static ListBoxModel fileCredentials(Item item, String current) {
        StandardListBoxModel model = new StandardListBoxModel();
        if (!mayListCredentials(item)) {
            model.includeCurrentValue(current);
            return model;
        }
        model.includeEmptyValue();
        if (item == null) {
            model.includeAs(ACL.SYSTEM2, Jenkins.get(), FileCredentials.class, List.of());
        } else {
            model.includeAs(authenticationOf(item), item, FileCredentials.class, List.of());
        }
        model.includeCurrentValue(current);
        return model;
    }

    /** Whether the id names a credential {@code item}'s builds can use; silent without the permission to look. */
    static FormValidation checkCredentialsId(Item item, String value) {
        if (!mayListCredentials(item) || value == null || value.isBlank() || value.contains("${")) {
            return FormValidation.ok();
        }
        for (ListBoxModel.Option option : sshCredentials(item, null)) {
            if (value.strip().equals(option.value)) {
                return FormValidation.ok();
            }
        }
        return FormValidation.warning(Messages.FormChecks_credentialsNotFound(value.strip()));
    }

    private static Authentication authenticationOf(Item item) {
        return item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
    }

    static ListBoxModel strategies() {
        ListBoxModel model = new ListBoxModel();
        model.add(Messages.FormChecks_fromFile(), "");
        for (Strategy s : Strategy.values()) {
            model.add(SpecOverrides.kebab(s));
        }
        return model;
    }

    static ListBoxModel failureActions() {
        ListBoxModel model = new ListBoxModel();
        model.add(Messages.FormChecks_fromFile(), "");
        for (FailureAction a : FailureAction.values()) {
            model.add(SpecOverrides.kebab(a));
        }
        return model;
    }

    /** One override field, read exactly as a run reads it. */
    static FormValidation checkOverride(String field, String value) {
        try {
            switch (field) {
                case "strategy" -> SpecOverrides.parse(value, null, null, null, null, null);
                case "onFailure" -> SpecOverrides.parse(null, null, value, null, null, null);
                case "approvals" -> SpecOverrides.parse(null, null, null, value, null, null);
                case "timeout", "interval" -> {
                    if (value != null && !value.isBlank()) {
                        SpecOverrides.duration(field, value);
                    }
                }
                default -> throw new IllegalArgumentException("no check for " + field);
            }
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /**
     * The cluster field: inline YAML is read and validated; a path is looked up in the job's last workspace, when
     * the user may configure the job (a workspace file is the job's data) and a workspace exists.
     */
    static FormValidation checkCluster(Item item, String value) throws IOException, InterruptedException {
        if (item == null ? !Jenkins.get().hasPermission(Jenkins.ADMINISTER) : !item.hasPermission(Item.CONFIGURE)) {
            return FormValidation.ok();
        }
        if (value == null || value.isBlank()) {
            return FormValidation.error(Messages.ClusterFile_missing());
        }
        String text;
        String source;
        if (UpgradeSettings.isInline(value)) {
            text = value;
            source = "inline cluster spec";
        } else {
            FilePath workspace = item instanceof AbstractProject<?, ?> project ? project.getSomeWorkspace() : null;
            if (workspace == null) {
                return FormValidation.ok();
            }
            if (!workspace.isDescendant(value.strip())) {
                // Only the workspace: a form check must not tell whether a file exists elsewhere on that machine.
                return FormValidation.error(Messages.ClusterFile_outsideWorkspace(value.strip()));
            }
            FilePath file = workspace.child(value.strip());
            if (!file.exists()) {
                return FormValidation.warning(Messages.ClusterFile_notFound(value.strip(), workspace.getRemote()));
            }
            text = file.readToString();
            source = value.strip();
        }
        try {
            SpecLoader.parse(text, source);
            return FormValidation.ok();
        } catch (SpecException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
