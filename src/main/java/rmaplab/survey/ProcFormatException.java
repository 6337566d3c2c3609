package rmaplab.survey;

/** Text from /proc or /sys that the survey cannot read; the message is {@code NAME:LINE: what is wrong}. */
public final class ProcFormatException extends RuntimeException {
    public ProcFormatException(String message) { super(message); }
}
