package io.haupgrade.probe;

/**
 * The result of one probe: an answer, with the backend and version it named, or a failure with why.
 *
 * @param backend the backend header's value; null when not asked for or absent
 * @param version the version header's value; null when not asked for or absent
 * @param error   why the probe failed, e.g. {@code HTTP 503}; null on success
 */
public record Sample(boolean ok, String backend, String version, String error) {

    public static Sample ok(String backend, String version) {
        return new Sample(true, backend, version, null);
    }

    public static Sample failed(String error) {
        return new Sample(false, null, null, error);
    }
}
