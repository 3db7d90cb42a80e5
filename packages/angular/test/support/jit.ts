// Angular's packages are partially compiled: JIT finishes them in the test page, loaded first.
import '@angular/compiler'
