import { createRoot } from 'react-dom/client'

createRoot(document.getElementById('root')!).render(<h1>基层治理一张图</h1>)
