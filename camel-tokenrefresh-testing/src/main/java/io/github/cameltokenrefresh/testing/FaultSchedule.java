package io.github.cameltokenrefresh.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The faults a {@link FaultInjectingTokenProxy} has been told to inject: the queued ones first, one per call, then
 * the standing one until healed; none means the call is forwarded.
 */
final class FaultSchedule {

    private final Deque<ProxyFault> queued = new ArrayDeque<>(); // guarded by this
    private ProxyFault always; // guarded by this

    synchronized void failNext(int times, ProxyFault fault) {
        for (int i = 0; i < times; i++) {
            queued.addLast(fault);
        }
    }

    synchronized void failAlways(ProxyFault fault) {
        always = fault;
    }

    synchronized void heal() {
        queued.clear();
        always = null;
    }

    /** The fault for the call that just arrived, or null to forward it. */
    synchronized ProxyFault next() {
        ProxyFault fault = queued.pollFirst();
        return fault != null ? fault : always;
    }
}
