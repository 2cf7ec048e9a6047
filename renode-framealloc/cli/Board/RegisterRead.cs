namespace RenodeFrameAlloc.Cli.Board
{
    // A device's 32-bit register read at offset; message is a log line for a bad access, else null.
    public delegate uint RegisterRead(long offset, out string message);
}
