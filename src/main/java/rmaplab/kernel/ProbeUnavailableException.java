package rmaplab.kernel;

/** The live kernel cannot be probed here; the message says exactly what is missing. */
public final class ProbeUnavailableException extends Exception {
    public ProbeUnavailableException(String message) { super(message, null, false, false); }
}
