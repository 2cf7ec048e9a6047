using RenodeFrameAlloc.Cli.Drivers;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Cli.Steps
{
    // One borrow through the frame-pool device: the range it was aimed at, the request, what came
    // back, and the ERROR register when the frames were returned.
    public sealed record BorrowedBlock(string Range, string Purpose, FrameRequest Request, uint BorrowError, Segment[] Segments, uint ReturnError)
    {
        public bool Succeeded => BorrowError == 0 && Segments.Length > 0;

        public ulong Bytes
        {
            get
            {
                ulong total = 0;
                foreach(var segment in Segments)
                {
                    total += segment.Length;
                }
                return total;
            }
        }
    }
}
