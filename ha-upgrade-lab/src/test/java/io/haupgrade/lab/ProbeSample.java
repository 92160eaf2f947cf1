package io.haupgrade.lab;

/**
 * One probe request.
 *
 * @param seq     number of the request, from 0
 * @param atMs    when it started, ms after the probe started
 * @param tookMs  how long it took (until the response was read or it failed)
 * @param ok      whether it got a 200 response in time
 * @param node    the X-Node header of the response, or null
 * @param version the X-Version header of the response, or null
 * @param error   why it failed, or null
 */
public record ProbeSample(long seq, double atMs, double tookMs, boolean ok, String node, String version, String error) {

    /** "n1@1.0.0", or the error of a failed request. */
    public String responder() {
        return ok ? node + "@" + version : "failed";
    }
}
