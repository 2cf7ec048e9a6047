namespace RenodeFrameAlloc.Devices
{
    // What the hart's translation should do after HartSoftwareTlbModel.OnTranslationFault:
    // Retry (Renode: ExternalMmuResult.NoFault; on a first try the translation is looked up again
    // at once; on the second, tlib takes the exception the model raised, at the faulting
    // instruction) or Fault (ExternalMmuResult.Fault: on a first try tlib asks again with
    // firstTry false; never answered on a second try, where tlib 1.16.1 would stop the hart for
    // good: its mmu_fault flag is never cleared).
    public enum HartFaultAction
    {
        Retry = 0,
        Fault = 1
    }
}
