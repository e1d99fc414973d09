import { createRoot } from 'react-dom/client';
import { createApi } from './api.ts';
import { App } from './app.tsx';
import './styles.css';

createRoot(document.getElementById('root')!).render(<App api={createApi()} />);
