namespace RenodeFrameAlloc.Cli.Board
{
    // A device's 32-bit register write at offset; returns a log line for a refused write or a
    // failed command, else null.
    public delegate string RegisterWrite(long offset, uint value);
}
