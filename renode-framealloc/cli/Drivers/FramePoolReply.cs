using System;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Cli.Drivers
{
    // The outcome of one frame-pool command as the driver read it back: the ERROR register and,
    // after an ALLOCATE that succeeded, the segments from the result area.
    public sealed record FramePoolReply(uint Error, Segment[] Segments)
    {
        public bool Succeeded => Error == 0;

        public static FramePoolReply Failed(uint error)
        {
            return new FramePoolReply(error, Array.Empty<Segment>());
        }
    }
}
